import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../src/server/db/open-database';
import { SqliteAppliedSnapshots } from '../../../../src/server/platforms/webhooks/sqlite-applied-snapshots';

describe('SqliteAppliedSnapshots', () => {
  it('claims the first snapshot of an order, newer and equally old ones, and refuses older ones', () => {
    const db = openDatabase(':memory:');
    const snapshots = new SqliteAppliedSnapshots(db);
    expect(snapshots.claim('shopify', '1042', 2_000)).toEqual({ fresh: true });
    expect(snapshots.claim('shopify', '1042', 3_000)).toEqual({ fresh: true });
    expect(snapshots.claim('shopify', '1042', 3_000)).toEqual({ fresh: true });
    expect(snapshots.claim('shopify', '1042', 2_999)).toEqual({ fresh: false, appliedAtMs: 3_000 });
    // A refused claim leaves the applied time where it was.
    expect(snapshots.claim('shopify', '1042', 2_500)).toEqual({ fresh: false, appliedAtMs: 3_000 });
    // Each platform order has its own time.
    expect(snapshots.claim('shopify', '1043', 1_000)).toEqual({ fresh: true });
    expect(snapshots.claim('woocommerce', '1042', 1_000)).toEqual({ fresh: true });
    db.close();
  });
});
