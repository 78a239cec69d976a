import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeskServices } from '../../../src/main/desk-services';
import { startGateway, type Gateway } from '../../../src/server/gateway';
import type { MethodArgs, MethodName, OrderChanged } from '../../../src/shared/contract';
import { DEMO_PASSWORD } from '../../../src/shared/demo';
import { AGENT_WS_PATH } from '../../../src/shared/protocol';
import { createTestKeyProvider } from '../../harness/test-key-provider';
import { callDesk, deskServices } from './support/desk-under-test';

const quiet = pino({ level: 'silent' });

/**
 * After a resync the refetched orders reach the renderer as `order.changed`, the event the
 * orders store already applies, so an open order shows what changed while the desk was away.
 */
describe('refetched orders reach the renderer', { timeout: 60_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'resync-push-'));
  let gateway: Gateway;
  const opened: DeskServices[] = [];

  beforeAll(async () => {
    gateway = await startGateway({
      port: 0,
      dbPath: join(root, 'gateway.db'),
      logger: quiet,
      demo: { orders: 30, seed: 8 },
      // A short log: a desk that was away gets a log_truncated resync instead of a replay.
      retainEvents: 3,
    });
  });
  afterEach(async () => {
    for (const services of opened.splice(0)) await services.stop();
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(root, { recursive: true, force: true });
  });

  const wsUrl = () => `${gateway.url}${AGENT_WS_PATH}`;

  async function openDesk(dataDir: string, keys: ReturnType<typeof createTestKeyProvider>) {
    const services = deskServices({ gatewayUrl: wsUrl(), dataDir, keys });
    await services.start();
    opened.push(services);
    const call = <M extends MethodName>(method: M, args: MethodArgs<M>) => callDesk(services, method, args);
    return { services, call };
  }

  it('emits order.changed for an open order refetched after a resync', async () => {
    const dataDir = mkdtempSync(join(root, 'desk-'));
    const keys = createTestKeyProvider(randomBytes(32));
    const first = await openDesk(dataDir, keys);
    await first.call('session.login', {
      gatewayUrl: wsUrl(),
      username: 'frontline',
      password: DEMO_PASSWORD,
    });
    const { items } = await first.call('orders.search', { text: '' });
    const open = await first.call('orders.get', { id: items[0]!.id });
    await expect
      .poll(async () => (await first.services.orderCache.get(open.id))?.order.version)
      .toBe(open.version);
    await first.services.stop();
    opened.splice(opened.indexOf(first.services), 1);

    // While the desk is closed the order changes more often than the log keeps.
    for (let i = 0; i < 5; i += 1) {
      await gateway.changes.update(
        open.id,
        null,
        (order) => ({
          ...order,
          notes: [...order.notes, { at: new Date().toISOString(), author: 'system', text: `away ${i}` }],
        }),
        { source: 'system' },
      );
    }

    const second = await openDesk(dataDir, keys);
    const changes: OrderChanged[] = [];
    second.services.addEventSink((event, payload) => {
      if (event === 'order.changed') changes.push(payload as OrderChanged);
    });
    await second.call('session.login', {
      gatewayUrl: wsUrl(),
      username: 'frontline',
      password: DEMO_PASSWORD,
    });
    await expect
      .poll(() => changes.find((change) => change.order.id === open.id)?.order.version, { timeout: 15_000 })
      .toBe(open.version + 5);
    const pushed = changes.find((change) => change.order.id === open.id)!;
    expect(pushed.order.notes?.at(-1)?.text).toBe('away 4');
    // As the frontline receives it: withheld like any read.
    expect(pushed.order.customer.phone).toMatch(/\*/);
  });
});
