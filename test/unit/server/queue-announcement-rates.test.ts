import { describe, expect, it } from 'vitest';
import { DeskError } from '../../../src/shared/errors';
import type { OrderStore } from '../../../src/server/orders/order-store';
import { QueueAnnouncements } from '../../../src/server/queue/queue-announcements';
import type { DeskRegistry } from '../../../src/server/ws/desk-registry';

/** Announcements with nobody waiting: only the rate limits decide (no store lookups, no desks). */
function announcements() {
  const notified: string[] = [];
  const desks = { notify: (notice: { queue?: string }) => (notified.push(notice.queue ?? ''), 0) };
  const queue = new QueueAnnouncements({
    orders: {} as OrderStore,
    desks: desks as unknown as DeskRegistry,
    rate: { perSecond: 0.001, burst: 2 },
    totalRate: { perSecond: 0.001, burst: 3 },
  });
  const announce = async (name: string) => {
    try {
      await queue.announce({ queue: name, roles: ['frontline'], waiting: [] });
      return 'ok';
    } catch (err) {
      return DeskError.from(err).code;
    }
  };
  return { announce, notified };
}

describe('queue announcement rates', () => {
  it('limits each queue on its own and all queues together; a refusal spends no token', async () => {
    const { announce, notified } = announcements();
    expect([await announce('sales'), await announce('sales'), await announce('sales')]).toEqual([
      'ok',
      'ok',
      'RATE_LIMITED',
    ]);
    // Another queue still gets through, until the total (3) is spent.
    expect(await announce('returns')).toBe('ok');
    expect(await announce('returns')).toBe('RATE_LIMITED');
    expect(await announce('vip')).toBe('RATE_LIMITED');
    // Only the accepted ones reached the desks (one notice per role each).
    expect(new Set(notified)).toEqual(new Set(['sales', 'returns']));
  });
});
