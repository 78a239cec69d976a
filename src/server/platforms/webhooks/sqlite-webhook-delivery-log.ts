import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../../db/open-database';
import { WEBHOOK_DELIVERY_RETENTION_MS, type WebhookDeliveryLog } from './webhook-delivery-log';

export class SqliteWebhookDeliveryLog implements WebhookDeliveryLog {
  private readonly selectDelivery: Statement<[string, string], { found: number }>;
  private readonly insertDelivery: Statement<[string, string, string, number]>;
  private readonly deleteOlderThan: Statement<[number]>;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly now: () => number = Date.now,
  ) {
    this.selectDelivery = db.prepare(
      'SELECT 1 AS found FROM webhook_deliveries WHERE platform = ? AND delivery_id = ?',
    );
    this.insertDelivery = db.prepare(
      'INSERT OR IGNORE INTO webhook_deliveries (platform, delivery_id, topic, received_at_ms) VALUES (?, ?, ?, ?)',
    );
    this.deleteOlderThan = db.prepare('DELETE FROM webhook_deliveries WHERE received_at_ms < ?');
  }

  async has(platform: string, deliveryId: string): Promise<boolean> {
    return this.selectDelivery.get(platform, deliveryId) !== undefined;
  }

  async record(platform: string, deliveryId: string, topic: string): Promise<void> {
    const nowMs = this.now();
    this.db.transaction(() => {
      this.insertDelivery.run(platform, deliveryId, topic, nowMs);
      // An index range at the old end: usually empty, so pruning as we go costs next to nothing.
      this.deleteOlderThan.run(nowMs - WEBHOOK_DELIVERY_RETENTION_MS);
    })();
  }
}
