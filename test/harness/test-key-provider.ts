import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyProvider } from '../../src/main/services/telephony/KeyProvider';

/**
 * Stands in for safeStorage in the harness: AES-256-GCM with a key that lives only in this
 * process, so secrets on disk are really encrypted and unreadable after a restart.
 */
export function createTestKeyProvider(key: Buffer = randomBytes(32)): KeyProvider {
  return {
    isAvailable: () => true,
    encrypt(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(cipherText) {
      const decipher = createDecipheriv('aes-256-gcm', key, cipherText.subarray(0, 12));
      decipher.setAuthTag(cipherText.subarray(12, 28));
      return Buffer.concat([decipher.update(cipherText.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
