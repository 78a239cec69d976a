import { closeSync, fstatSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writePrivateFile } from '../files/private-file';
import { parseGatewayKeys, serialiseGatewayKeys, type GatewayKeys } from './gateway-keys';
import { GatewayKeyError } from './key-error';

/**
 * Reads and validates a key file. On POSIX it must be private to its owner: a key file that
 * other users can read hands them the keys, one they can write lets them plant their own.
 */
export function readKeyFile(path: string): GatewayKeys {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new GatewayKeyError(
        'KEY_FILE_MISSING',
        `No key file at ${path}: create one with \`npm run gateway -- keys init --key-file ${path}\``,
      );
    }
    throw new GatewayKeyError(
      'KEY_FILE_UNREADABLE',
      `Cannot read the key file ${path}: ${(err as Error).message}`,
    );
  }
  try {
    // fstat on the open file: the file checked is the file read.
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new GatewayKeyError('KEY_FILE_INVALID', `The key file ${path} is not a file`);
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw new GatewayKeyError(
        'KEY_FILE_PERMISSIONS',
        `The key file ${path} is open to group or others (mode ${(stat.mode & 0o777).toString(8)}): ` +
          `run \`chmod 600 ${path}\` so that only the gateway's user can read it`,
      );
    }
    return parseGatewayKeys(readFileSync(fd, 'utf8'), `The key file ${path}`);
  } finally {
    closeSync(fd);
  }
}

/** Writes a new key file (0600); refuses to replace one that exists (KEY_FILE_EXISTS). */
export function createKeyFile(path: string, keys: GatewayKeys): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writePrivateFile(path, serialiseGatewayKeys(keys), 'create');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new GatewayKeyError('KEY_FILE_EXISTS', `${path} already exists: it is never overwritten`);
    }
    throw err;
  }
}

/** Replaces a key file atomically (0600): a gateway reading it sees the old keys or the new. */
export function replaceKeyFile(path: string, keys: GatewayKeys): void {
  writePrivateFile(path, serialiseGatewayKeys(keys), 'replace');
}
