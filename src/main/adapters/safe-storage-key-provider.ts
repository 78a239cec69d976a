import { safeStorage } from 'electron';
import type { KeyProvider } from '../services/telephony/KeyProvider';

/** Electron's safeStorage: the key lives in the OS keychain (Keychain, DPAPI, libsecret). */
export const safeStorageKeyProvider: KeyProvider = {
  // On Linux without a keyring safeStorage falls back to a hard-coded key: that is not protection.
  isAvailable: () =>
    safeStorage.isEncryptionAvailable() &&
    (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
  encrypt: (plainText) => safeStorage.encryptString(plainText),
  decrypt: (cipherText) => safeStorage.decryptString(cipherText),
};
