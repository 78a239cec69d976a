/**
 * Encrypts small secrets with a key the OS keeps (Electron's safeStorage: Keychain, DPAPI,
 * libsecret). The harness uses an in-memory test key instead.
 */
export interface KeyProvider {
  /** False where the OS offers no protected key store: secrets are then refused, not kept in clear. */
  isAvailable(): boolean;
  encrypt(plainText: string): Buffer;
  decrypt(cipherText: Buffer): string;
}
