import { hkdfSync } from 'node:crypto';

export const DATA_KEY_BYTES = 32;

export interface CacheKeys {
  /** Seals column values (ColumnCipher). */
  columns: Buffer;
  /** Derives search tokens (BlindTokens). */
  tokens: Buffer;
}

/** One data key (wrapped by the OS keychain) yields independent keys for sealing and for tokens. */
export function deriveCacheKeys(dataKey: Uint8Array): CacheKeys {
  const derive = (purpose: string) =>
    Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `agent-desk order cache: ${purpose}`, 32));
  return { columns: derive('columns'), tokens: derive('search tokens') };
}
