import type Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { DeskError } from '../../../shared/errors';
import type { ActionRequest } from '../../../shared/protocol';
import type { ColumnCipher } from '../cache/column-cipher';
import type { OutboxEntry, OutboxSettlement, OutboxStatus } from './outbox-entry';

interface OutboxRow {
  position: number;
  idempotency_key: string;
  request: Buffer;
  status: OutboxStatus;
  reason: string | null;
  enqueued_at: number;
  settled_at: number | null;
}

/**
 * The outbox table in the order cache's database (worker side): action requests made offline,
 * kept in order until the gateway has answered them. The request is sealed like the orders (a
 * note may name the customer); the idempotency key stays clear so a request is queued once.
 */
export class OutboxTable {
  private readonly insert: Statement;
  private readonly selectByKey: Statement<[string], OutboxRow>;
  private readonly selectAll: Statement<[], OutboxRow>;
  private readonly selectByStatus: Statement<[OutboxStatus], OutboxRow>;
  private readonly settleRow: Statement;

  constructor(
    db: Database.Database,
    private readonly cipher: ColumnCipher,
    private readonly now: () => number,
  ) {
    // A repeated key keeps the first request: enqueueing is as idempotent as the gateway.
    this.insert = db.prepare(
      `INSERT INTO outbox (idempotency_key, request, status, enqueued_at)
       VALUES (@idempotency_key, @request, 'pending', @enqueued_at) ON CONFLICT (idempotency_key) DO NOTHING`,
    );
    this.selectByKey = db.prepare('SELECT * FROM outbox WHERE idempotency_key = ?');
    this.selectAll = db.prepare('SELECT * FROM outbox ORDER BY position');
    this.selectByStatus = db.prepare('SELECT * FROM outbox WHERE status = ? ORDER BY position');
    // Only a pending entry settles: a late second answer cannot flip a recorded outcome.
    this.settleRow = db.prepare(
      `UPDATE outbox SET status = @status, reason = @reason, settled_at = @settled_at
       WHERE idempotency_key = @idempotency_key AND status = 'pending'`,
    );
  }

  enqueue(request: ActionRequest): OutboxEntry {
    const key = request.idempotencyKey;
    this.insert.run({
      idempotency_key: key,
      request: this.cipher.seal(JSON.stringify(request), `outbox:${key}`),
      enqueued_at: this.now(),
    });
    return this.toEntry(this.selectByKey.get(key)!);
  }

  list(status?: OutboxStatus): OutboxEntry[] {
    const rows = status ? this.selectByStatus.all(status) : this.selectAll.all();
    return rows.map((row) => this.toEntry(row));
  }

  settle(idempotencyKey: string, settlement: OutboxSettlement): OutboxEntry {
    this.settleRow.run({
      idempotency_key: idempotencyKey,
      status: settlement.status,
      reason: settlement.status === 'done' ? null : settlement.reason,
      settled_at: this.now(),
    });
    const row = this.selectByKey.get(idempotencyKey);
    if (!row) throw new DeskError('NOT_FOUND', `No outbox entry ${idempotencyKey}`);
    return this.toEntry(row);
  }

  private toEntry(row: OutboxRow): OutboxEntry {
    return {
      position: row.position,
      // Sealed by enqueue from a request the caller validated.
      request: JSON.parse(
        this.cipher.open(row.request, `outbox:${row.idempotency_key}`).toString('utf8'),
      ) as ActionRequest,
      status: row.status,
      reason: row.reason,
      enqueuedAt: new Date(row.enqueued_at).toISOString(),
      settledAt: row.settled_at === null ? null : new Date(row.settled_at).toISOString(),
    };
  }
}
