import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../../src/server/audit/verify-audit';
import { openDatabase } from '../../../src/server/db/open-database';
import type { Gateway } from '../../../src/server/gateway';
import { SqliteOrderStore } from '../../../src/server/orders/sqlite-order-store';
import { DEMO_PASSWORD } from '../../../src/shared/demo';
import type { Order } from '../../../src/shared/domain';
import type { ActionRequest } from '../../../src/shared/protocol';
import { anOrder } from '../shared/rules/order-builder';
import { AgentClient } from './support/agent-client';
import { keysBesideDatabase } from './support/gateway-keys';
import { startTestGateway } from './support/test-gateway';
import { makeTempDir } from './support/temp-dir';

const now = new Date();
const CALL_ID = 'a84b4c76e66710@pc33.example.com';

const shopifyOrder = (): Order => ({
  ...anOrder('CNY', now).withId('ord_shop_exchange').item('SHOP-TEE-RED-M', 9900).delivered(1).build(),
  platform: 'shopify',
});

const ORDERS: Order[] = [
  anOrder('CNY', now).withId('ord_note_call').item('HM-AP-FRY', 36900).shipped(1).build(),
  anOrder('CNY', now).withId('ord_refund_call').item('EL-PB-20K', 15900).build(),
  anOrder('CNY', now).withId('ord_swap').item('AP-SN-RUN', 45900).item('EL-MS-WL', 8900).delivered(1).build(),
  anOrder('CNY', now).withId('ord_swap_bad').item('AP-SN-RUN', 45900).delivered(1).build(),
  shopifyOrder(),
];

const tempDir = makeTempDir();
const dbPath = join(tempDir.path, 'gateway.db');
let gateway: Gateway;
let agent: AgentClient;

beforeAll(async () => {
  const db = openDatabase(dbPath);
  await new SqliteOrderStore(db).insertMany(ORDERS);
  db.close();
  gateway = await startTestGateway({ dbPath, demo: { orders: 0 } });
  ({ client: agent } = await AgentClient.ready(gateway.url));
  await agent.call('auth.login', { username: 'frontline', password: DEMO_PASSWORD });
});

afterAll(async () => {
  await agent?.close();
  await gateway?.close();
  tempDir.remove();
});

let keys = 0;
const newKey = () => `wrapup-key-${++keys}-${now.getTime()}`;

async function act(orderId: string, action: ActionRequest['action'], interactionId?: string) {
  const { order } = await agent.call('orders.get', { id: orderId });
  return agent.request('orders.action', {
    orderId,
    expectedVersion: order.version,
    idempotencyKey: newKey(),
    action,
    ...(interactionId ? { interactionId } : {}),
  });
}

function withDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

describe('actions linked to a call', () => {
  it('stamps the note with the call and keeps the call with the action record', async () => {
    const outcome = await act(
      'ord_note_call',
      { type: 'note', text: 'Customer asked for the tracking link' },
      CALL_ID,
    );
    expect(outcome.ok).toBe(true);
    const notes = outcome.ok ? (outcome.result.order.notes ?? []) : [];
    expect(notes.at(-1)).toMatchObject({
      text: 'Customer asked for the tracking link',
      interactionId: CALL_ID,
    });
    const row = withDb((db) =>
      db
        .prepare<[string], { interaction_id: string | null }>(
          'SELECT interaction_id FROM action_requests WHERE order_id = ?',
        )
        .get('ord_note_call'),
    );
    expect(row?.interaction_id).toBe(CALL_ID);
  });

  it('writes the call into the audit entry of a sensitive action, and the chain still verifies', async () => {
    const outcome = await act(
      'ord_refund_call',
      {
        type: 'refund',
        items: [{ sku: 'EL-PB-20K', qty: 1 }],
        includeShipping: false,
        reason: 'Arrived broken',
      },
      CALL_ID,
    );
    expect(outcome.ok).toBe(true);
    const audit = withDb((db) =>
      db
        .prepare<[string], { action: string; details_json: string }>(
          'SELECT action, details_json FROM audit_log WHERE target = ? ORDER BY seq',
        )
        .all('ord_refund_call'),
    );
    expect(audit.map((entry) => entry.action)).toEqual(['order.refund']);
    expect(JSON.parse(audit[0]!.details_json)).toMatchObject({ interactionId: CALL_ID });
    const timeline = outcome.ok ? outcome.result.order.timeline : [];
    expect(timeline.at(-1)).toMatchObject({ interactionId: CALL_ID });
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(verifyAudit(db, keysBesideDatabase(dbPath))).toMatchObject({ ok: true });
    } finally {
      db.close();
    }
  });

  it('refuses a malformed call id before anything runs', async () => {
    const outcome = await act('ord_note_call', { type: 'note', text: 'x' }, 'not a call id');
    expect(outcome.ok ? null : outcome.error.code).toBe('BAD_REQUEST');
  });
});

describe('exchange replacements', () => {
  it('lists the same product’s variants for a demo order, the ordered SKU first', async () => {
    const { options } = await agent.call('orders.replacements', { orderId: 'ord_swap', sku: 'AP-SN-RUN' });
    expect(options[0]).toMatchObject({ sku: 'AP-SN-RUN', sameAsOrdered: true });
    expect(options.map((option) => option.sku)).toEqual([
      'AP-SN-RUN',
      ...['38', '39', '40', '41', '42', '43', '44'].map((size) => `AP-SN-RUN-${size}`),
    ]);
    const mouse = await agent.call('orders.replacements', { orderId: 'ord_swap', sku: 'EL-MS-WL' });
    expect(mouse.options.map((option) => option.sku)).toEqual([
      'EL-MS-WL',
      'EL-MS-WL-BLK',
      'EL-MS-WL-WHT',
      'EL-MS-WL-GRY',
    ]);
  });

  it('offers a like-for-like unit on a platform order and nothing for an item not in the order', async () => {
    const shop = await agent.call('orders.replacements', {
      orderId: 'ord_shop_exchange',
      sku: 'SHOP-TEE-RED-M',
    });
    expect(shop.options).toEqual([expect.objectContaining({ sku: 'SHOP-TEE-RED-M', sameAsOrdered: true })]);
    const none = await agent.call('orders.replacements', { orderId: 'ord_swap', sku: 'NOT-IN-ORDER' });
    expect(none.options).toEqual([]);
  });

  it('applies an exchange to an offered variant', async () => {
    const outcome = await act(
      'ord_swap',
      {
        type: 'exchange',
        items: [{ sku: 'AP-SN-RUN', qty: 1, replacementSku: 'AP-SN-RUN-42' }],
        reason: 'Too small',
      },
      CALL_ID,
    );
    expect(outcome.ok).toBe(true);
    const exchange = outcome.ok ? outcome.result.order.afterSales?.at(-1) : undefined;
    expect(exchange).toMatchObject({
      kind: 'exchange',
      items: [{ sku: 'AP-SN-RUN', replacementSku: 'AP-SN-RUN-42' }],
    });
  });

  it('refuses a replacement the catalogue does not offer, with the reason, and changes nothing', async () => {
    const before = (await agent.call('orders.get', { id: 'ord_swap_bad' })).order;
    const outcome = await act('ord_swap_bad', {
      type: 'exchange',
      items: [{ sku: 'AP-SN-RUN', qty: 1, replacementSku: 'EL-SW-S3' }],
      reason: 'Wants a watch instead',
    });
    expect(outcome.ok ? null : outcome.error).toMatchObject({
      code: 'NOT_ELIGIBLE',
      details: {
        reasons: [
          { code: 'REPLACEMENT_NOT_OFFERED', params: { sku: 'AP-SN-RUN', replacementSku: 'EL-SW-S3' } },
        ],
      },
    });
    const after = (await agent.call('orders.get', { id: 'ord_swap_bad' })).order;
    expect(after.version).toBe(before.version);
  });
});
