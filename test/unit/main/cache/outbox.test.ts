import { afterEach, describe, expect, it } from 'vitest';
import { OrderCacheClient } from '../../../../src/main/services/cache/OrderCacheClient';
import { Outbox } from '../../../../src/main/services/outbox/Outbox';
import { DeskError } from '../../../../src/shared/errors';
import type { ActionRequest } from '../../../../src/shared/protocol';
import { createTestKeyProvider } from '../../../harness/test-key-provider';
import { tempCachePath } from './cache-fixtures';

const keys = createTestKeyProvider(Buffer.alloc(32, 3));
const started: OrderCacheClient[] = [];

async function startCache(path: string) {
  const cache = new OrderCacheClient({ path, keys });
  await cache.start();
  started.push(cache);
  return cache;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((cache) => cache.stop()));
});

const note = (key: string, text = `note ${key}`): ActionRequest => ({
  orderId: 'ord_1',
  expectedVersion: 3,
  idempotencyKey: key,
  action: { type: 'note', text },
});

describe('Outbox', () => {
  it('queues a request once per idempotency key, in order, across a restart', async () => {
    const path = tempCachePath();
    const outbox = new Outbox(await startCache(path));
    await outbox.enqueue(note('key-0001'));
    await outbox.enqueue(note('key-0002'));
    await outbox.enqueue(note('key-0001', 'a retry of the first'));
    await started.pop()!.stop();

    const reopened = new Outbox(await startCache(path));
    const entries = await reopened.list();
    expect(entries.map((entry) => [entry.request.idempotencyKey, entry.status])).toEqual([
      ['key-0001', 'pending'],
      ['key-0002', 'pending'],
    ]);
    expect(entries[0]!.request).toEqual(note('key-0001'));
  });

  it('replays in order, keeps conflicts and rejections with their reason, and stops while unreachable', async () => {
    const outbox = new Outbox(await startCache(tempCachePath()));
    for (const key of ['key-0001', 'key-0002', 'key-0003', 'key-0004', 'key-0005'])
      await outbox.enqueue(note(key));
    const sent: string[] = [];
    let reachable = false;
    const send = async (request: ActionRequest) => {
      sent.push(request.idempotencyKey);
      if (request.idempotencyKey === 'key-0002') throw new DeskError('VERSION_CONFLICT', 'The order changed');
      if (request.idempotencyKey === 'key-0003') throw new DeskError('NOT_ELIGIBLE', 'Return window closed');
      if (request.idempotencyKey === 'key-0004' && !reachable)
        throw new DeskError('GATEWAY_UNAVAILABLE', 'Offline');
    };

    expect(await outbox.replay(send)).toEqual({ done: 1, conflicts: 1, rejected: 1, pending: 2 });
    reachable = true;
    expect(await outbox.replay(send)).toEqual({ done: 2, conflicts: 0, rejected: 0, pending: 0 });
    expect(sent).toEqual(['key-0001', 'key-0002', 'key-0003', 'key-0004', 'key-0004', 'key-0005']);

    const byKey = Object.fromEntries(
      (await outbox.list()).map((entry) => [entry.request.idempotencyKey, entry]),
    );
    expect(byKey['key-0002']).toMatchObject({ status: 'conflict', reason: 'The order changed' });
    expect(byKey['key-0003']).toMatchObject({ status: 'rejected', reason: 'Return window closed' });
    expect(byKey['key-0005']?.status).toBe('done');
    expect(await outbox.list('pending')).toEqual([]);
    // A settled request stays settled: a late answer cannot flip it.
    expect((await outbox.markDone('key-0002')).status).toBe('conflict');
  });

  it('is emptied by a wipe (logout)', async () => {
    const cache = await startCache(tempCachePath());
    const outbox = new Outbox(cache);
    await outbox.enqueue(note('key-0001'));
    await cache.wipe();
    expect(await outbox.list()).toEqual([]);
  });
});
