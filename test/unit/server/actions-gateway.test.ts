import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import { DemoPlatformActions } from '../../../src/server/actions/platform-actions';
import { verifyAudit } from '../../../src/server/audit/verify-audit';
import { openDatabase } from '../../../src/server/db/open-database';
import type { Gateway } from '../../../src/server/gateway';
import { SqliteOrderStore } from '../../../src/server/orders/sqlite-order-store';
import { DEMO_PASSWORD } from '../../../src/shared/demo';
import type { Order } from '../../../src/shared/domain';
import type { OrderAction } from '../../../src/shared/rules/types';
import { ROLE_FIELD_POLICIES, visibleOrder, type VisibleOrder } from '../../../src/shared/visibility';
import type { ActionRequest } from '../../../src/shared/protocol';
import { anOrder } from '../shared/rules/order-builder';
import { AgentClient } from './support/agent-client';
import { keysBesideDatabase } from './support/gateway-keys';
import { startTestGateway } from './support/test-gateway';
import { makeTempDir } from './support/temp-dir';

const now = new Date();
const order = (id: string, currency?: string) => anOrder(currency, now).withId(id);

/** One order per scenario, so that tests do not depend on each other's changes. */
const ORDERS: Order[] = [
  order('ord_refund').item('EL-PB-20K', 15900, 2).item('AP-TS-CTN', 7900).shipping(1000).build(),
  order('ord_return').item('EL-KB-87', 39900).item('HM-TWL-SET', 9900).delivered(2).build(),
  order('ord_exchange').item('AP-SN-RUN', 45900).delivered(1).build(),
  order('ord_cancel').item('HM-KT-GLS', 14900).shipping(1000).build(),
  order('ord_address').item('HM-AP-FRY', 36900).build(),
  order('ord_note').item('HM-AP-FRY', 36900).shipped(1).build(),
  order('ord_shipped').item('HM-AP-FRY', 36900).shipped(1).build(),
  order('ord_concurrent').item('EL-PB-20K', 15900).build(),
  order('ord_conflict').item('EL-PB-20K', 15900).build(),
  order('ord_big').item('EL-SW-S3', 129900).build(),
  order('ord_logistics').item('EL-PB-20K', 15900).build(),
  order('ord_coupon').item('EL-KB-87', 39900).item('EL-CB-USBC', 15900).coupon(3000).build(),
  order('ord_retry').item('SP-YM-6MM', 11900).build(),
];

/**
 * The demo platform answering after 150 ms, as a real one takes a while: without it an action
 * completes within one turn of the event loop and "concurrent" retries would never overlap.
 */
class SlowPlatformActions extends DemoPlatformActions {
  override async perform(order: Order, action: OrderAction) {
    await delay(150);
    return super.perform(order, action);
  }
}

const tempDir = makeTempDir();
const dbPath = join(tempDir.path, 'gateway.db');
let gateway: Gateway;
let frontline: AgentClient;
let frontlineUserId: string;

beforeAll(async () => {
  const db = openDatabase(dbPath);
  await new SqliteOrderStore(db).insertMany(ORDERS);
  db.close();
  // Demo mode on a store with orders only adds the demo users.
  gateway = await startTestGateway({
    dbPath,
    demo: { orders: 0 },
    platformActions: new SlowPlatformActions(),
  });
  ({ client: frontline, userId: frontlineUserId } = await signIn('frontline'));
});

afterAll(async () => {
  await frontline?.close();
  await gateway?.close();
  tempDir.remove();
});

async function signIn(username: string): Promise<{ client: AgentClient; userId: string }> {
  const { client } = await AgentClient.ready(gateway.url);
  const { user } = await client.call('auth.login', { username, password: DEMO_PASSWORD });
  return { client, userId: user.id };
}

let keys = 0;
/** A fresh idempotency key per call site. */
const newKey = () => `test-key-${++keys}-${now.getTime()}`;

/** The order as the frontline agent receives it (contact and address masked). */
async function current(id: string): Promise<VisibleOrder> {
  return (await frontline.call('orders.get', { id })).order;
}

async function act(action: ActionRequest['action'], orderId: string, client = frontline) {
  const before = await current(orderId);
  const request: ActionRequest = {
    orderId,
    expectedVersion: before.version,
    idempotencyKey: newKey(),
    action,
  };
  return { before, request, outcome: await client.request('orders.action', request) };
}

/** Reads the gateway's file directly, as an operator would. */
function withDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The order as the gateway stored it, in full. */
const storedOrder = (orderId: string): Order =>
  withDb((db) =>
    JSON.parse(
      db
        .prepare<[string], { order_json: string }>(
          'SELECT d.order_json FROM orders o JOIN order_documents d ON d.seq = o.seq WHERE o.id = ?',
        )
        .get(orderId)!.order_json,
    ),
  );

const eventCount = (orderId: string) =>
  withDb(
    (db) =>
      db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM events WHERE order_id = ?').get(orderId)!
        .n,
  );

describe('orders.allowedActions and orders.quote', () => {
  it('answers every action for the agent role, with the order version', async () => {
    const { version, actions } = await frontline.call('orders.allowedActions', { orderId: 'ord_shipped' });
    expect(version).toBe(ORDERS.find((o) => o.id === 'ord_shipped')!.version);
    expect(actions.map((a) => a.action)).toEqual([
      'refund',
      'return',
      'exchange',
      'cancel',
      'address_change',
      'note',
    ]);
    expect(actions.find((a) => a.action === 'cancel')).toMatchObject({
      allowed: false,
      reasons: [{ code: 'ALREADY_SHIPPED' }],
      alternatives: [{ code: 'RETURN_AFTER_DELIVERY' }, { code: 'REQUEST_CARRIER_INTERCEPT' }],
    });
  });

  it('quotes a refund with the coupon prorated in minor units', async () => {
    const quote = await frontline.call('orders.quote', {
      orderId: 'ord_coupon',
      type: 'refund',
      items: [{ sku: 'EL-KB-87', qty: 1 }],
    });
    expect(quote.lines).toEqual([
      {
        sku: 'EL-KB-87',
        qty: 1,
        amount: { amount: 37755, currency: 'CNY' },
        couponShare: { amount: 2145, currency: 'CNY' },
        priceProtection: { amount: 0, currency: 'CNY' },
      },
    ]);
    expect(quote.total).toEqual({ amount: 37755, currency: 'CNY' });
  });

  it('refuses a quote for items the order does not have, with the reason', async () => {
    const error = await frontline.callFailing('orders.quote', {
      orderId: 'ord_coupon',
      type: 'return',
      items: [{ sku: 'NOPE', qty: 1 }],
    });
    expect(error).toMatchObject({
      code: 'NOT_ELIGIBLE',
      details: { reasons: [{ code: 'UNKNOWN_ITEM', params: { sku: 'NOPE' } }] },
    });
  });

  it('answers NOT_FOUND for an unknown order', async () => {
    expect((await frontline.callFailing('orders.allowedActions', { orderId: 'ord_nope' })).code).toBe(
      'NOT_FOUND',
    );
  });
});

describe('orders.action: each allowed action changes the order and bumps the version', () => {
  it('refund of one unit: partially refunded, a completed refund case, a timeline entry', async () => {
    const { before, outcome } = await act(
      { type: 'refund', items: [{ sku: 'EL-PB-20K', qty: 1 }], reason: 'arrived scratched' },
      'ord_refund',
    );
    if (!outcome.ok) throw new Error(outcome.error.code);
    const { order, eventSeq, outcome: kind } = outcome.result;
    expect(kind).toBe('applied');
    expect(eventSeq).toBeGreaterThan(0);
    expect(order.version).toBe(before.version + 1);
    expect(order.payment.status).toBe('partially_refunded');
    expect(order.status).toBe('paid');
    expect(order.afterSales.at(-1)).toMatchObject({
      kind: 'refund',
      status: 'completed',
      amount: { amount: 15900, currency: 'CNY' },
      items: [{ sku: 'EL-PB-20K', qty: 1 }],
      reason: 'arrived scratched',
    });
    expect(order.timeline.at(-1)).toMatchObject({ status: 'paid', actor: 'agent:frontline' });
    expect(await current('ord_refund')).toEqual(order);
  });

  it('return: an approved return case with an RMA and the refund due on receipt', async () => {
    const { before, outcome } = await act(
      { type: 'return', items: [{ sku: 'EL-KB-87', qty: 1 }], reason: '不想要了' },
      'ord_return',
    );
    if (!outcome.ok) throw new Error(outcome.error.code);
    const { order } = outcome.result;
    expect(order.version).toBe(before.version + 1);
    expect(order.afterSales.at(-1)).toMatchObject({
      kind: 'return',
      status: 'approved',
      amount: { amount: 39900, currency: 'CNY' },
      items: [{ sku: 'EL-KB-87', qty: 1 }],
    });
    expect(order.afterSales.at(-1)!.rma).toMatch(/^RMA-\d{8}-[0-9A-F]{6}$/);
  });

  it('exchange: an approved exchange case with the replacement', async () => {
    const { before, outcome } = await act(
      {
        type: 'exchange',
        items: [{ sku: 'AP-SN-RUN', qty: 1, replacementSku: 'AP-SN-RUN-43' }],
        reason: 'size',
      },
      'ord_exchange',
    );
    if (!outcome.ok) throw new Error(outcome.error.code);
    const { order } = outcome.result;
    expect(order.version).toBe(before.version + 1);
    expect(order.afterSales.at(-1)).toMatchObject({
      kind: 'exchange',
      status: 'approved',
      items: [{ sku: 'AP-SN-RUN', qty: 1, replacementSku: 'AP-SN-RUN-43' }],
    });
  });

  it('cancel of a paid order: cancelled, payment refunded with a refund case', async () => {
    const { before, outcome } = await act({ type: 'cancel', reason: 'ordered twice' }, 'ord_cancel');
    if (!outcome.ok) throw new Error(outcome.error.code);
    const { order } = outcome.result;
    expect(order.version).toBe(before.version + 1);
    expect(order.status).toBe('cancelled');
    expect(order.payment.status).toBe('refunded');
    expect(order.afterSales.at(-1)).toMatchObject({
      kind: 'refund',
      amount: { amount: 15900, currency: 'CNY' },
    });
    expect(order.timeline.at(-1)).toMatchObject({ status: 'cancelled', note: 'ordered twice' });
  });

  it('address change of a paid order: new address and an address_changed_after_payment flag', async () => {
    const address = { ...ORDERS[0]!.shippingAddress, line1: '淮海中路 99 号', postalCode: '200021' };
    const { before, outcome } = await act({ type: 'address_change', address }, 'ord_address');
    if (!outcome.ok) throw new Error(outcome.error.code);
    const { order } = outcome.result;
    expect(order.version).toBe(before.version + 1);
    // The agent sees the new address as its role may (masked); the gateway stored it in full.
    expect(order.shippingAddress).toEqual(
      visibleOrder({ ...ORDERS[0]!, shippingAddress: address }, ROLE_FIELD_POLICIES.frontline)
        .shippingAddress,
    );
    expect(storedOrder('ord_address').shippingAddress).toEqual(address);
    expect(order.riskFlags?.at(-1)).toMatchObject({ kind: 'address_changed_after_payment' });
  });

  it('note: appended with the agent as author', async () => {
    const { before, outcome } = await act(
      { type: 'note', text: 'Customer asked to call after 6 pm' },
      'ord_note',
    );
    if (!outcome.ok) throw new Error(outcome.error.code);
    const { order } = outcome.result;
    expect(order.version).toBe(before.version + 1);
    expect(order.notes?.at(-1)).toMatchObject({
      author: '林小雨 Lin Xiaoyu',
      text: 'Customer asked to call after 6 pm',
    });
  });
});

describe('orders.action: refusals', () => {
  it('cancel after shipping: NOT_ELIGIBLE with the reasons, order unchanged', async () => {
    const { before, outcome } = await act({ type: 'cancel', reason: 'too slow' }, 'ord_shipped');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('NOT_ELIGIBLE');
    expect(outcome.error.details?.reasons).toEqual([
      { code: 'ALREADY_SHIPPED', params: { carrier: 'SF Express', trackingNumber: 'SF1234567890' } },
    ]);
    expect(await current('ord_shipped')).toEqual(before);
  });

  it('logistics may not refund: FORBIDDEN with ROLE_NOT_PERMITTED', async () => {
    const { client } = await signIn('logistics');
    try {
      const { outcome } = await act(
        { type: 'refund', amount: { amount: 100, currency: 'CNY' }, reason: 'x' },
        'ord_logistics',
        client,
      );
      expect(outcome).toMatchObject({
        ok: false,
        error: {
          code: 'FORBIDDEN',
          details: { reasons: [{ code: 'ROLE_NOT_PERMITTED', params: { role: 'logistics' } }] },
        },
      });
    } finally {
      await client.close();
    }
  });

  it('a stale version gets VERSION_CONFLICT with the current order', async () => {
    const base = await current('ord_conflict');
    // Someone else's note moves the order on.
    const first = await frontline.call('orders.action', {
      orderId: 'ord_conflict',
      expectedVersion: base.version,
      idempotencyKey: newKey(),
      action: { type: 'note', text: 'first' },
    });
    const error = await frontline.callFailing('orders.action', {
      orderId: 'ord_conflict',
      expectedVersion: base.version,
      idempotencyKey: newKey(),
      action: { type: 'refund', amount: { amount: 1000, currency: 'CNY' }, reason: 'late' },
    });
    expect(error.code).toBe('VERSION_CONFLICT');
    expect(error.details?.currentOrder).toEqual(first.order);
    expect((await current('ord_conflict')).version).toBe(base.version + 1);
  });

  it('a refund above the frontline ceiling waits for approval: order unchanged, approval stored', async () => {
    const { before, request, outcome } = await act(
      { type: 'refund', items: [{ sku: 'EL-SW-S3', qty: 1 }], reason: 'dead on arrival' },
      'ord_big',
    );
    expect(outcome).toEqual({
      ok: true,
      result: { outcome: 'pending_approval', order: before, approvalId: expect.any(Number), eventSeq: null },
    });
    expect(await current('ord_big')).toEqual(before);
    const approval = withDb((db) => db.prepare('SELECT * FROM approvals WHERE order_id = ?').all('ord_big'));
    expect(approval).toEqual([
      expect.objectContaining({
        order_version: before.version,
        action_type: 'refund',
        amount: 129900,
        currency: 'CNY',
        status: 'pending',
        requested_by: frontlineUserId,
        idempotency_key: request.idempotencyKey,
        decided_by: null,
      }),
    ]);
  });
});

describe('orders.action: idempotency', () => {
  it('the same mutation sent 5 times concurrently applies once; all 5 answers are identical', async () => {
    const clients = await Promise.all([1, 2, 3, 4, 5].map(() => signIn('frontline')));
    try {
      const before = await current('ord_concurrent');
      const eventsBefore = eventCount('ord_concurrent');
      const request: ActionRequest = {
        orderId: 'ord_concurrent',
        expectedVersion: before.version,
        idempotencyKey: newKey(),
        action: { type: 'refund', amount: { amount: 5000, currency: 'CNY' }, reason: 'late delivery' },
      };
      const outcomes = await Promise.all(
        clients.map(({ client }) => client.request('orders.action', request)),
      );
      for (const outcome of outcomes) expect(outcome).toEqual(outcomes[0]);
      expect(outcomes[0]).toMatchObject({ ok: true, result: { outcome: 'applied' } });

      const after = await current('ord_concurrent');
      expect(after.version).toBe(before.version + 1);
      expect(after.afterSales.filter((c) => c.kind === 'refund')).toHaveLength(1);
      expect(eventCount('ord_concurrent')).toBe(eventsBefore + 1);
      const stored = withDb((db) =>
        db.prepare('SELECT state FROM action_requests WHERE idempotency_key = ?').all(request.idempotencyKey),
      );
      expect(stored).toEqual([{ state: 'done' }]);
    } finally {
      await Promise.all(clients.map(({ client }) => client.close()));
    }
  });

  it('a later retry with the same key gets the first result and changes nothing', async () => {
    const before = await current('ord_retry');
    const request: ActionRequest = {
      orderId: 'ord_retry',
      expectedVersion: before.version,
      idempotencyKey: newKey(),
      action: { type: 'note', text: 'once' },
    };
    const first = await frontline.call('orders.action', request);
    const again = await frontline.call('orders.action', request);
    expect(again).toEqual(first);
    const after = await current('ord_retry');
    expect(after.version).toBe(before.version + 1);
    expect(after.notes?.filter((n) => n.text === 'once')).toHaveLength(1);
  });

  it('the same key with a different request is BAD_REQUEST', async () => {
    const before = await current('ord_retry');
    const request: ActionRequest = {
      orderId: 'ord_retry',
      expectedVersion: before.version,
      idempotencyKey: newKey(),
      action: { type: 'note', text: 'one thing' },
    };
    await frontline.call('orders.action', request);
    const error = await frontline.callFailing('orders.action', {
      ...request,
      action: { type: 'note', text: 'another' },
    });
    expect(error.code).toBe('BAD_REQUEST');
  });

  it('keys are per user: another agent reusing the key string acts on its own', async () => {
    const { client } = await signIn('supervisor');
    try {
      const before = await current('ord_retry');
      const key = newKey();
      const action = { type: 'note', text: 'same key, two agents' } as const;
      await frontline.call('orders.action', {
        orderId: 'ord_retry',
        expectedVersion: before.version,
        idempotencyKey: key,
        action,
      });
      const second = await client.call('orders.action', {
        orderId: 'ord_retry',
        expectedVersion: before.version + 1,
        idempotencyKey: key,
        action,
      });
      expect(second.order.version).toBe(before.version + 2);
    } finally {
      await client.close();
    }
  });
});

describe('audit', () => {
  it('recorded the sensitive actions and the chain verifies', () => {
    const actions = withDb((db) =>
      db
        .prepare<[], { action: string; target: string }>('SELECT action, target FROM audit_log ORDER BY seq')
        .all(),
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        { action: 'order.refund', target: 'ord_refund' },
        { action: 'order.return', target: 'ord_return' },
        { action: 'order.cancel', target: 'ord_cancel' },
        { action: 'order.address_change', target: 'ord_address' },
        { action: 'order.refund.approval_requested', target: 'ord_big' },
        { action: 'order.refund', target: 'ord_concurrent' },
      ]),
    );
    // Notes and exchanges are not sensitive; the concurrent refund is there once.
    expect(actions.filter((a) => a.target === 'ord_concurrent')).toHaveLength(1);
    expect(actions.some((a) => a.target === 'ord_note' || a.target === 'ord_exchange')).toBe(false);
    expect(withDb((db) => verifyAudit(db, keysBesideDatabase(dbPath)))).toMatchObject({
      ok: true,
      rows: actions.length,
      triggersIntact: true,
    });
  });
});
