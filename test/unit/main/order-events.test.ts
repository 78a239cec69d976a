import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeskServices } from '../../../src/main/desk-services';
import { SessionService } from '../../../src/main/services/session/SessionService';
import type { OrderChanged } from '../../../src/shared/contract';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import { AGENT_WS_PATH, type OrderEvent } from '../../../src/shared/protocol';
import { startGateway, type Gateway } from '../../../src/server/gateway';
import { NodeDesktop } from '../../harness/node-desktop';
import { createTestKeyProvider } from '../../harness/test-key-provider';

const quiet = pino({ level: 'silent' });

/** Live order events from a real gateway reach the desk as `order.changed`. */
describe('order events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'order-events-test-'));
  const dbPath = join(dir, 'gateway.db');
  let gateway: Gateway;
  let wsUrl: string;

  beforeAll(async () => {
    gateway = await startGateway({
      port: 0,
      dbPath,
      logger: quiet,
      demo: { orders: 200, seed: 5 },
    });
    wsUrl = `${gateway.url}${AGENT_WS_PATH}`;
  });
  afterAll(async () => {
    await gateway.close();
  });

  const newSession = () =>
    new SessionService({ client: { name: 'test', version: '0' }, connectTimeoutMs: 3000 });

  async function addNote(session: SessionService, orderId: string, text: string) {
    const { order } = await session.request('orders.get', { id: orderId });
    return session.request('orders.action', {
      orderId,
      expectedVersion: order.version,
      idempotencyKey: crypto.randomUUID(),
      action: { type: 'note', text },
    });
  }

  it("an action by one desk is seen as order.changed by another desk's services", async () => {
    const services = new DeskServices({
      dataDir: mkdtempSync(join(dir, 'desk-')),
      appInfo: { version: '0', platform: 'test', host: 'harness' },
      defaultLanguage: 'en',
      defaultGatewayUrl: wsUrl,
      demoGatewayUrl: wsUrl,
      desktop: new NodeDesktop(),
      keyProvider: createTestKeyProvider(),
    });
    await services.start();
    const changes: OrderChanged[] = [];
    services.addEventSink((event, payload) => {
      if (event === 'order.changed') changes.push(payload as OrderChanged);
    });
    const login = await services.dispatch('session.loginDemo', undefined);
    expect(login.ok).toBe(true);

    const other = newSession();
    await other.login(wsUrl, DEMO_LOGIN.username, DEMO_LOGIN.password);
    const { items } = await other.request('orders.search', { text: '', limit: 1 });
    const result = await addNote(other, items[0]!.id, 'Customer asked for a call back');

    await expect.poll(() => changes.length).toBeGreaterThan(0);
    expect(changes.at(-1)).toMatchObject({ seq: result.eventSeq, order: { id: items[0]!.id } });
    expect(changes.at(-1)!.order.notes?.at(-1)?.text).toBe('Customer asked for a call back');
    await other.logout();
    await services.stop();
  });

  it('starts at the head (no replay of older events) and resubscribes after a reconnect', async () => {
    const writer = newSession();
    await writer.login(wsUrl, DEMO_LOGIN.username, DEMO_LOGIN.password);
    const { items } = await writer.request('orders.search', { text: '', limit: 2 });
    await addNote(writer, items[0]!.id, 'before the reader signed in');
    await writer.logout();

    const reader = newSession();
    const seen: OrderEvent[] = [];
    reader.onOrderEvent((event) => seen.push(event));
    await reader.login(wsUrl, DEMO_LOGIN.username, DEMO_LOGIN.password);

    const port = gateway.port;
    await gateway.close();
    await expect.poll(() => reader.connectionState.status).toBe('offline');
    gateway = await startGateway({ port, dbPath, logger: quiet, demo: { orders: 200, seed: 5 } });
    await expect.poll(() => reader.connectionState.status, { timeout: 10_000 }).toBe('online');

    await writer.login(wsUrl, DEMO_LOGIN.username, DEMO_LOGIN.password);
    const after = await addNote(writer, items[1]!.id, 'after the reconnect');
    await expect.poll(() => seen.map((event) => event.seq)).toEqual([after.eventSeq]);
    await writer.logout();
    await reader.logout();
  });
});
