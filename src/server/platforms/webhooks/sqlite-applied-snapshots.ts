import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../../db/open-database';
import type { AppliedSnapshots, SnapshotClaim } from './applied-snapshots';

export class SqliteAppliedSnapshots implements AppliedSnapshots {
  /** Inserts or moves the time forward; changes nothing (0 rows) for an older snapshot. */
  private readonly advance: Statement<[string, string, number]>;
  private readonly selectApplied: Statement<[string, string], { platform_updated_at_ms: number }>;

  constructor(db: SqliteDatabase) {
    this.advance = db.prepare(`
      INSERT INTO platform_order_snapshots (platform, platform_order_id, platform_updated_at_ms)
      VALUES (?, ?, ?)
      ON CONFLICT (platform, platform_order_id) DO UPDATE
        SET platform_updated_at_ms = excluded.platform_updated_at_ms
        WHERE excluded.platform_updated_at_ms >= platform_order_snapshots.platform_updated_at_ms
    `);
    this.selectApplied = db.prepare(
      'SELECT platform_updated_at_ms FROM platform_order_snapshots WHERE platform = ? AND platform_order_id = ?',
    );
  }

  claim(platform: string, platformOrderId: string, takenAtMs: number): SnapshotClaim {
    if (this.advance.run(platform, platformOrderId, takenAtMs).changes === 1) return { fresh: true };
    const applied = this.selectApplied.get(platform, platformOrderId)!;
    return { fresh: false, appliedAtMs: applied.platform_updated_at_ms };
  }
}
