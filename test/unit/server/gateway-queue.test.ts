import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/server/db/open-database';
import type { Gateway } from '../../../src/server/gateway';
import { SqliteOrderStore } from '../../../src/server/orders/sqlite-order-store';
import { QUEUE_ANNOUNCE_PATH } from '../../../src/server/queue/queue-endpoint';
import { DEMO_PASSWORD } from '../../../src/shared/demo';
import { GET_MANY_MAX, QUEUE_WAITING_MAX, type QueueAnnouncement } from '../../../src/shared/protocol';
import { maskPhone, type VisibleOrder } from '../../../src/shared/visibility';
import { anOrder } from '../shared/rules/order-builder';
import { AgentClient } from './support/agent-client';
import { makeTempDir } from './support/temp-dir';
import { startTestGateway } from './support/test-gateway';

const SECRET = 'acd-shared-secret-for-tests';

/** The ACD/PBX side: POST /v1/queue/announce with the bearer secret. */
async function announce(gateway: Gateway, body: unknown, secret: string | null = SECRET) {
  const response = await fetch(`${gateway.httpUrl}${QUEUE_ANNOUNCE_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { authorization: `Bearer ${secret}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers, // Each test reads the fields it expects; a missing one fails its assertion.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    body: (await response.json()) as Record<string, any>,
  };
}

async function signedIn(gateway: Gateway, username: string): Promise<AgentClient> {
  const { client } = await AgentClient.ready(gateway.url);
  await client.call('auth.login', { username, password: DEMO_PASSWORD });
  return client;
}

describe('queue announcements and orders.getMany on a real gateway', { timeout: 60_000 }, () => {
  let gateway: Gateway;
  let frontline: AgentClient;
  let logistics: AgentClient;
  let aftersales: AgentClient;
  /** Full orders as the gateway stores them (read by the admin, who sees no more than masked). */
  let sample: VisibleOrder[];
  let dbPath: string;
  let dir: ReturnType<typeof makeTempDir>;

  beforeAll(async () => {
    dir = makeTempDir('gateway-queue-');
    dbPath = join(dir.path, 'gateway.db');
    gateway = await startTestGateway({
      dbPath,
      demo: { orders: 40, seed: 5 },
      queueSecret: SECRET,
    });
    [frontline, logistics, aftersales] = await Promise.all([
      signedIn(gateway, 'frontline'),
      signedIn(gateway, 'logistics'),
      signedIn(gateway, 'aftersales'),
    ]);
    const { items } = await frontline.call('orders.search', { text: '', limit: 40 });
    sample = (await frontline.call('orders.getMany', { ids: items.map((item) => item.id) })).orders;
  });

  afterAll(async () => {
    await Promise.all([frontline, logistics, aftersales].map((client) => client?.close()));
    await gateway?.close();
    dir?.remove();
  });

  it('tells the desks of the named roles and agents who waits, identifying callers by number and IVR order', async () => {
    const [a, b, c] = sample;
    const since = new Date(Date.now() - 60_000).toISOString();
    const callerNumber = await phoneOf(dbPath, b!.id);
    const body: QueueAnnouncement = {
      queue: 'after-sales',
      roles: ['frontline'],
      agents: ['logistics'],
      waiting: [
        { customerId: a!.customer.id, since },
        { callerNumber, since },
        { ivrOrderNumber: c!.displayNumber, since },
        { callerNumber: '+15550000000', since },
      ],
    };
    const answer = await announce(gateway, body);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: 'announced',
      queue: 'after-sales',
      waiting: 4,
      identified: 3,
      desks: 2,
    });

    const seen = await frontline.nextNotice('queue');
    expect(seen.queue).toBe('after-sales');
    expect(seen.waiting.map((w) => w.customerId)).toEqual([
      a!.customer.id,
      b!.customer.id,
      c!.customer.id,
      null,
    ]);
    // Every default role gets phone numbers masked: so does the queue's caller number.
    expect(seen.waiting[1]!.callerNumber).toBe(maskPhone(callerNumber));
    expect(JSON.stringify(seen)).not.toContain(callerNumber);
    expect(seen.waiting[2]!.ivrOrderNumber).toBe(c!.displayNumber);
    // Named by username, logistics hears of it too; after-sales (neither named nor its role) does not.
    expect((await logistics.nextNotice('queue')).waiting).toHaveLength(4);
    await frontline.call('events.head', {});
    await aftersales.call('events.head', {});
    expect(aftersales.pendingNotices.filter((notice) => notice.kind === 'queue')).toEqual([]);
  });

  it('refuses announcements without the secret, and bad ones with BAD_REQUEST and what is wrong', async () => {
    const since = new Date().toISOString();
    const good = { queue: 'sales', roles: ['frontline'], waiting: [{ customerId: 'c1', since }] };
    expect(await announce(gateway, good, null)).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED' } },
    });
    expect(await announce(gateway, good, 'wrong')).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED' } },
    });

    const bad: Array<[unknown, RegExp]> = [
      ['{not json', /not JSON/],
      [{ ...good, roles: [] }, /roles/],
      [{ ...good, roles: ['janitor'] }, /roles/],
      [{ ...good, queue: 'Sales Queue!' }, /queue/],
      [{ ...good, waiting: [{ since }] }, /customerId, a callerNumber or an ivrOrderNumber/],
      [{ ...good, waiting: [{ callerNumber: '0138 1234 5678', since }] }, /E\.164/],
      [{ ...good, waiting: [{ customerId: 'c1', since: 'yesterday' }] }, /since/],
      [{ ...good, extra: true }, /extra|Unrecognized/i],
      [
        {
          ...good,
          waiting: Array.from({ length: QUEUE_WAITING_MAX + 1 }, () => ({ customerId: 'c1', since })),
        },
        /waiting/,
      ],
    ];
    for (const [body, message] of bad) {
      const answer = await announce(gateway, body);
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(answer.body.error.code).toBe('BAD_REQUEST');
      expect(answer.body.error.message).toMatch(message);
    }
    const huge = { ...good, padding: 'x'.repeat(70 * 1024) };
    expect(await announce(gateway, huge)).toMatchObject({
      status: 413,
      body: { error: { code: 'BAD_REQUEST' } },
    });
    // Only POST, and nothing was announced by any of these.
    const get = await fetch(`${gateway.httpUrl}${QUEUE_ANNOUNCE_PATH}`, {
      headers: { authorization: `Bearer ${SECRET}` },
    });
    expect(get.status).toBe(405);
    await frontline.call('events.head', {});
    expect(frontline.pendingNotices.filter((notice) => notice.kind === 'queue')).toEqual([]);
  });

  it('limits the rate of announcements per queue with RATE_LIMITED and a Retry-After', async () => {
    const body = { queue: 'burst', agents: ['nobody'], waiting: [] };
    const answers = await Promise.all(Array.from({ length: 60 }, () => announce(gateway, body)));
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.body.error.code).toBe('RATE_LIMITED');
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
    expect(answers.every((answer) => answer.status === 200 || answer.status === 429)).toBe(true);
    // Another queue is not silenced by the chatty one.
    expect((await announce(gateway, { ...body, queue: 'calm' })).status).toBe(200);
    expect((await announce(gateway, body)).status).toBe(429);
  });

  it('counts announcements by status in the metrics', async () => {
    const counts = async () => {
      const text = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
      const count = (status: number) =>
        Number(
          new RegExp(`^agent_desk_queue_announcements_total\\{status="${status}"\\} (\\d+)$`, 'm').exec(
            text,
          )?.[1] ?? 0,
        );
      return Object.fromEntries([200, 400, 401, 413, 429].map((status) => [status, count(status)]));
    };
    const before = await counts();
    const body = { queue: 'metrics', agents: ['nobody'], waiting: [] };
    const statuses = [
      (await announce(gateway, body, null)).status,
      (await announce(gateway, { ...body, queue: 'Not A Queue!' })).status,
      (await announce(gateway, body)).status,
    ];
    expect(statuses).toEqual([401, 400, 200]);
    const after = await counts();
    const sent = Object.fromEntries(
      [200, 400, 401, 413, 429].map((status) => [status, statuses.filter((s) => s === status).length]),
    );
    for (const status of [200, 400, 401, 413, 429]) {
      expect(after[status]! - before[status]!, `status ${status}`).toBe(sent[status]);
    }
  });

  it('has no queue endpoint without a secret', async () => {
    const otherDir = makeTempDir('gateway-queue-');
    const other = await startTestGateway({ dbPath: join(otherDir.path, 'g.db') });
    try {
      const answer = await announce(other, { queue: 'q', roles: ['frontline'], waiting: [] });
      expect(answer.status).toBe(404);
    } finally {
      await other.close();
      otherDir.remove();
    }
  });

  it('in the demo, announces a few waiting customers now and then to the frontline and after-sales', async () => {
    const demoDir = makeTempDir('gateway-queue-');
    const demo = await startTestGateway({
      dbPath: join(demoDir.path, 'g.db'),
      demo: { orders: 40, seed: 6 },
      simulateQueue: { intervalMs: 20 },
    });
    const desk = await signedIn(demo, 'aftersales');
    try {
      // Some snapshots are empty (nobody waiting): read until one names customers.
      let notice = await desk.nextNotice('queue');
      while (notice.waiting.length === 0) notice = await desk.nextNotice('queue');
      expect(notice.queue).toBe('demo');
      expect(notice.waiting.length).toBeLessThanOrEqual(3);
      for (const waiting of notice.waiting) {
        const { items } = await desk.call('orders.byCustomer', { customerId: waiting.customerId!, limit: 5 });
        expect(items.length).toBeGreaterThan(0);
        expect(waiting.callerNumber).toMatch(/\*/);
      }
    } finally {
      await desk.close();
      await demo.close();
      demoDir.remove();
    }
  });

  it('orders.getMany answers each id as orders.get would for the role, in order, with the missing ones', async () => {
    const ids = [sample[2]!.id, 'ord_does_not_exist', sample[0]!.id];
    const asLogistics = await logistics.call('orders.getMany', { ids });
    expect(asLogistics.orders.map((order) => order.id)).toEqual([sample[2]!.id, sample[0]!.id]);
    expect(asLogistics.missing).toEqual([{ id: 'ord_does_not_exist', code: 'NOT_FOUND' }]);
    expect(asLogistics.remaining).toEqual([]);
    for (const order of asLogistics.orders) {
      expect(order).toEqual((await logistics.call('orders.get', { id: order.id })).order);
      // Logistics never receives payment details or risk flags.
      expect(order.payment.method).toBeUndefined();
      expect(order.riskFlags).toBeUndefined();
    }
    const asFrontline = await frontline.call('orders.getMany', { ids });
    expect(asFrontline.orders[0]!.payment.method).toBeDefined();

    const tooMany = Array.from({ length: GET_MANY_MAX + 1 }, (_, i) => `ord_${i}`);
    expect((await frontline.callFailing('orders.getMany', { ids: tooMany })).code).toBe('BAD_REQUEST');
    expect((await frontline.callFailing('orders.getMany', { ids: [] })).code).toBe('BAD_REQUEST');
    expect((await frontline.callFailing('orders.getMany', { ids: ['a', 'a'] })).code).toBe('BAD_REQUEST');
    const { client: anonymous } = await AgentClient.ready(gateway.url);
    expect((await anonymous.callFailing('orders.getMany', { ids: [sample[0]!.id] })).code).toBe(
      'UNAUTHENTICATED',
    );
    await anonymous.close();
  });
});

describe('orders.getMany with large orders', { timeout: 60_000 }, () => {
  it("splits an answer that would outgrow the desk's frame limit and names the ids left", async () => {
    const dir = makeTempDir('gateway-getmany-');
    const dbPath = join(dir.path, 'gateway.db');
    // Orders of 200 lines each: 40 of them are far beyond one answer's size budget.
    const big = Array.from({ length: 40 }, (_, n) => {
      const builder = anOrder('CNY', new Date()).withId(`ord_big_${n}`);
      for (let line = 0; line < 200; line += 1)
        builder.item(`SKU-${n}-${line}-${'X'.repeat(40)}`, 1000 + line);
      return builder.build();
    });
    const db = openDatabase(dbPath);
    await new SqliteOrderStore(db).insertMany(big);
    db.close();
    const gateway = await startTestGateway({ dbPath, demo: { orders: 0 } });
    const client = await signedIn(gateway, 'frontline');
    try {
      const ids = big.map((order) => order.id);
      const first = await client.call('orders.getMany', { ids });
      expect(first.orders.length).toBeGreaterThan(0);
      expect(first.orders.length).toBeLessThan(ids.length);
      expect([...first.orders.map((order) => order.id), ...first.remaining]).toEqual(ids);
      let left = first.remaining;
      const all = [...first.orders];
      while (left.length > 0) {
        const page = await client.call('orders.getMany', { ids: left });
        all.push(...page.orders);
        left = page.remaining;
      }
      expect(all.map((order) => order.id)).toEqual(ids);
      expect(all.every((order) => order.items.length === 200)).toBe(true);
    } finally {
      await client.close();
      await gateway.close();
      dir.remove();
    }
  });
});

/** The customer's full phone number, read from the gateway's own file (no role ever gets it). */
async function phoneOf(dbPath: string, orderId: string): Promise<string> {
  const db = openDatabase(dbPath);
  try {
    const order = await new SqliteOrderStore(db).get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    return order.customer.phone;
  } finally {
    db.close();
  }
}
