import { createHash } from 'node:crypto';
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

/** SHA-256 (hex) over the canonical serialisation of the row's fields and the previous hash. */
export function auditRowHash(row: AuditRowFields): string {
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
