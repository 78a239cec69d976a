import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificate {
  certPath: string;
  keyPath: string;
  /** PEM text: the certificate is also what a client trusts (`ca`), being self-signed. */
  cert: string;
  key: string;
}

/** A self-signed P-256 certificate for 127.0.0.1 and localhost, made with openssl in `dir`. */
export function makeTestCertificate(dir: string): TestCertificate {
  const certPath = join(dir, 'gateway-cert.pem');
  const keyPath = join(dir, 'gateway-key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=agent-desk-test-gateway',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { stdio: 'pipe' },
  );
  return { certPath, keyPath, cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') };
}
