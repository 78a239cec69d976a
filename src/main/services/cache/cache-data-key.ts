import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KeyProvider } from '../telephony/KeyProvider';
import { DATA_KEY_BYTES } from './cache-keys';

export interface LoadedDataKey {
  key: Buffer;
  /** True when no readable key existed: whatever cache is on disk can no longer be opened. */
  isNew: boolean;
}

/**
 * The cache's data key, kept in a file beside the database wrapped by the KeyProvider
 * (safeStorage: the OS keychain). A missing or unreadable key (new OS profile, restored backup)
 * yields a new one; the caller then deletes the old cache.
 */
export async function loadOrCreateDataKey(keyPath: string, keys: KeyProvider): Promise<LoadedDataKey> {
  try {
    const key = Buffer.from(keys.decrypt(await readFile(keyPath)), 'base64');
    if (key.length === DATA_KEY_BYTES) return { key, isNew: false };
  } catch {
    // No key file, or the OS key changed: start over below.
  }
  const key = randomBytes(DATA_KEY_BYTES);
  await saveDataKey(keyPath, keys, key);
  return { key, isNew: true };
}

export async function saveDataKey(keyPath: string, keys: KeyProvider, key: Buffer): Promise<void> {
  await mkdir(dirname(keyPath), { recursive: true });
  const tmp = `${keyPath}.tmp`;
  await writeFile(tmp, keys.encrypt(key.toString('base64')), { mode: 0o600 });
  await rename(tmp, keyPath);
}
