import { randomBytes } from 'node:crypto';
import { getOrCreateMetaValue } from '../db/meta';
import type { SqliteDatabase } from '../db/open-database';

/** The token signing key: generated once per database so tokens survive a gateway restart. */
export function loadTokenSecret(db: SqliteDatabase): Buffer {
  const encoded = getOrCreateMetaValue(db, 'token_secret', () => randomBytes(32).toString('base64'));
  return Buffer.from(encoded, 'base64');
}
