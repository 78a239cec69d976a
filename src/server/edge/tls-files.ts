import { readFileSync } from 'node:fs';
import type { TlsCredentials } from './edge-server';

/** The certificate and key PEM files named on the command line; throws a readable Error. */
export function readTlsFiles(paths: { certPath: string; keyPath: string }): TlsCredentials {
  return {
    cert: readPem(paths.certPath, 'certificate (--tls-cert)'),
    key: readPem(paths.keyPath, 'private key (--tls-key)'),
  };
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`Cannot read the TLS ${what} ${path}: ${(err as Error).message}`, { cause: err });
  }
}
