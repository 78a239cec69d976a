/**
 * The append-only, hash-chained record of sensitive operations: refunds, amount changes,
 * address changes, cancels, approvals requested, and reveals of masked customer data.
 * Each row's hash is an HMAC, with an audit key kept outside the database, over its fields and
 * the previous row's hash: changing, inserting or removing a row breaks the chain from that row
 * on, and nobody without the key can re-chain it. Signed checkpoints of the head, also outside the
 * database, catch rows removed from the end (see verifyAudit).
 */
export interface AuditEntry {
  /** Who: a user id, or 'system'. */
  actor: string;
  /** What, as a stable dotted name, e.g. 'order.refund' or 'customer.reveal'. */
  action: string;
  /** On what, e.g. an order id. */
  target: string;
  /** The facts worth keeping (amounts, old and new values, reasons); JSON values only. */
  details: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

/**
 * `Transaction` is a writer's open transaction: recording inside it makes the audit row exist
 * exactly when the operation it records does.
 */
export interface AuditLog<Transaction = unknown> {
  /** Appends within the caller's transaction. */
  append(transaction: Transaction, entry: AuditEntry): AuditRecord;
  /** Appends on its own, e.g. for a reveal of masked data. */
  record(entry: AuditEntry): Promise<AuditRecord>;
}
