import { createHash, createHmac } from 'node:crypto';
import type { SigningKey } from '../keys/key-ring';
import { canonicalJson } from './canonical-json';

/** The prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** A row's fields as stored: details as the exact JSON text kept in the table. */
export interface AuditRowFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  detailsJson: string;
  prevHash: string;
}

/**
 * HMAC-SHA256 (hex) with the audit key over the canonical serialisation of the row's fields, the
 * previous row's hash and the key's id: without the key nobody can write a row that verifies.
 */
export function keyedAuditRowHash(row: AuditRowFields, key: SigningKey): string {
  const serialised = canonicalJson([
    'agent-desk audit row v1',
    row.seq,
    row.at,
    row.actor,
    row.action,
    row.target,
    row.detailsJson,
    row.prevHash,
    key.id,
  ]);
  return createHmac('sha256', key.secret).update(serialised, 'utf8').digest('hex');
}

/**
 * SHA-256 (hex) of rows written before the audit key existed (key_id NULL). Anyone can compute
 * it, so such rows are trusted only as the start of the log, covered by the keyed rows after them.
 */
export function plainAuditRowHash(row: AuditRowFields): string {
  const serialised = canonicalJson([
    row.seq,
    row.at,
    row.actor,
    row.action,
    row.target,
    row.detailsJson,
    row.prevHash,
  ]);
  return createHash('sha256').update(serialised, 'utf8').digest('hex');
}
