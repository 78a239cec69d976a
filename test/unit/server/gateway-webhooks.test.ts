import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../src/server/gateway';
import { mapShopifyOrder } from '../../../src/server/platforms/shopify/map-shopify-order';
import { MAX_WEBHOOK_BODY_BYTES } from '../../../src/server/platforms/webhooks/webhook-endpoint';
import { mapWooOrder } from '../../../src/server/platforms/woocommerce/map-woocommerce-order';
import { DEMO_LOGIN } from '../../../src/shared/demo';
import { ROLE_FIELD_POLICIES, visibleOrder } from '../../../src/shared/visibility';
import { AgentClient } from './support/agent-client';
import { platformFixture, platformFixtureText } from './support/platform-fixtures';
import { makeTempDir } from './support/temp-dir';
import { startTestGateway } from './support/test-gateway';
import {
  SHOPIFY_TEST_SECRET,
  WOOCOMMERCE_TEST_SECRET,
  postWebhook,
  shopifyHeaders,
  wooCommerceHeaders,
} from './support/webhook-requests';

const tempDir = makeTempDir();
const dbPath = join(tempDir.path, 'gateway.db');
let gateway: Gateway;
let agent: AgentClient;
let db: Database.Database;

beforeAll(async () => {
  gateway = await startTestGateway({
    dbPath,
    demo: { orders: 0 },
    platforms: { shopify: { secret: SHOPIFY_TEST_SECRET }, woocommerce: { secret: WOOCOMMERCE_TEST_SECRET } },
  });
  ({ client: agent } = await AgentClient.ready(gateway.url));
  await agent.call('auth.login', DEMO_LOGIN);
  db = new Database(dbPath, { readonly: true });
});

afterAll(async () => {
  db?.close();
  await agent?.close();
  await gateway?.close();
  tempDir.remove();
});

/** Rows in every table a webhook writes: nothing may change when a delivery is refused. */
function storedRows(): { orders: number; events: number; deliveries: number } {
  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { orders: count('orders'), events: count('events'), deliveries: count('webhook_deliveries') };
}

const shopify = (body: string | Buffer, headers: Record<string, string>) =>
  postWebhook(gateway.httpUrl, 'shopify', body, headers);
const woocommerce = (body: string | Buffer, headers: Record<string, string>) =>
  postWebhook(gateway.httpUrl, 'woocommerce', body, headers);

describe('Shopify webhooks', () => {
  const orderBody = platformFixtureText('shopify/order-1042-paid.json');

  it('refuses tampered, unsigned and wrongly signed deliveries with 401 and stores nothing', async () => {
    const before = storedRows();
    const signed = shopifyHeaders(orderBody, 'orders/create');
    const tampered = orderBody.replace('"146.35"', '"1.00"');
    const { 'x-shopify-hmac-sha256': signature, ...unsigned } = signed;
    const attempts: [string | Buffer, Record<string, string>][] = [
      [tampered, signed],
      [`${orderBody} `, signed],
      [orderBody, unsigned],
      [orderBody, shopifyHeaders(orderBody, 'orders/create', { secret: 'not-the-secret' })],
      [orderBody, { ...signed, 'x-shopify-hmac-sha256': '' }],
      [orderBody, { ...signed, 'x-shopify-hmac-sha256': `${signature!.slice(0, -2)}==` }],
      // The right digest in hex, or base64 with stray characters, is not the specified signature.
      [orderBody, { ...signed, 'x-shopify-hmac-sha256': Buffer.from(signature!, 'base64').toString('hex') }],
      [
        orderBody,
        { ...signed, 'x-shopify-hmac-sha256': `${signature!.slice(0, 10)}!${signature!.slice(10)}` },
      ],
      [orderBody, { ...signed, 'x-shopify-hmac-sha256': `${signature}, ${signature}` }],
      // A signature made with the WooCommerce secret.
      [orderBody, shopifyHeaders(orderBody, 'orders/create', { secret: WOOCOMMERCE_TEST_SECRET })],
    ];
    for (const [body, headers] of attempts) {
      const response = await shopify(body, headers);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        error: { code: 'UNAUTHENTICATED', message: 'Missing or invalid webhook signature' },
      });
    }
    expect(storedRows()).toEqual(before);
    expect(await agent.call('orders.search', { text: 'SH-1042' })).toEqual({ items: [], nextCursor: null });
  });

  it('stores a signed orders/create as version 1, searchable by number, phone tail, name and product', async () => {
    const before = storedRows();
    const response = await shopify(orderBody, shopifyHeaders(orderBody, 'orders/create'));
    expect(response).toEqual({
      status: 200,
      body: { status: 'stored', orderId: 'ord_sh_5719473651893', version: 1 },
    });
    expect(storedRows()).toEqual({
      orders: before.orders + 1,
      events: before.events + 1,
      deliveries: before.deliveries + 1,
    });

    const { order } = await agent.call('orders.get', { id: 'ord_sh_5719473651893' });
    // The agent signed in as frontline: the stored order as that role may see it.
    expect(order).toEqual(
      visibleOrder({ ...mapShopifyOrder(JSON.parse(orderBody)), version: 1 }, ROLE_FIELD_POLICIES.frontline),
    );
    // Frontline sees names masked: the whole name finds the order, a part of it does not.
    const { name } = mapShopifyOrder(JSON.parse(orderBody)).customer;
    for (const text of ['SH-1042', '1042', '0132', name, 'Scarf']) {
      const { items } = await agent.call('orders.search', { text });
      expect(
        items.map((item) => item.id),
        text,
      ).toContain('ord_sh_5719473651893');
    }
    expect((await agent.call('orders.find', { displayNumber: 'SH-1042' })).order.id).toBe(
      'ord_sh_5719473651893',
    );
  });

  it('applies a delivery once: a retry with the same X-Shopify-Webhook-Id is acknowledged and ignored', async () => {
    const body = platformFixtureText('shopify/order-1043-fulfilled-refunded.json');
    const headers = shopifyHeaders(body, 'orders/create', { webhookId: 'f6a1c2d3-retry-test' });
    expect((await shopify(body, headers)).body).toMatchObject({ status: 'stored', version: 1 });
    const after = storedRows();
    for (let retry = 0; retry < 3; retry += 1) {
      expect(await shopify(body, headers)).toEqual({ status: 200, body: { status: 'duplicate' } });
    }
    expect(storedRows()).toEqual(after);
    expect((await agent.call('orders.get', { id: 'ord_sh_5719480172213' })).order.version).toBe(1);
  });

  it('orders/updated merges into the stored order and keeps what an agent added', async () => {
    const id = 'ord_sh_5719473651893';
    await gateway.changes.update(
      id,
      null,
      (order) => ({
        ...order,
        notes: [
          ...order.notes,
          { at: '2026-11-18T15:00:00.000Z', author: 'frontline', text: 'Called about gift wrap' },
        ],
      }),
      { source: 'agent', actor: 'usr_test', action: 'note' },
    );
    const payload = platformFixture('shopify/order-1042-paid.json');
    const body = JSON.stringify({
      ...payload,
      fulfillment_status: 'partial',
      updated_at: '2026-11-19T08:00:00-05:00',
    });
    const response = await shopify(body, shopifyHeaders(body, 'orders/updated'));
    expect(response.body).toEqual({ status: 'stored', orderId: id, version: 3 });

    const { order } = await agent.call('orders.get', { id });
    expect(order.status).toBe('fulfilling');
    expect(order.notes).toEqual([
      { at: '2026-11-18T15:00:00.000Z', author: 'frontline', text: 'Called about gift wrap' },
    ]);
    expect(order.timeline.at(-1)).toEqual({
      at: '2026-11-19T13:00:00.000Z',
      status: 'fulfilling',
      actor: 'shopify',
    });
  });

  it('fulfillments/create and refunds/create change the stored order', async () => {
    const id = 'ord_sh_5719473651893';
    const fulfillment = platformFixtureText('shopify/fulfillment-1042.json');
    expect((await shopify(fulfillment, shopifyHeaders(fulfillment, 'fulfillments/create'))).body).toEqual({
      status: 'stored',
      orderId: id,
      version: 4,
    });
    const refund = platformFixtureText('shopify/refund-1042.json');
    expect((await shopify(refund, shopifyHeaders(refund, 'refunds/create'))).body).toEqual({
      status: 'stored',
      orderId: id,
      version: 5,
    });
    const { order } = await agent.call('orders.get', { id });
    expect(order.status).toBe('shipped');
    expect(order.shipments.map((shipment) => [shipment.carrier, shipment.trackingNumber])).toEqual([
      ['UPS', '1Z999AA10123456784'],
    ]);
    expect(order.afterSales.map((entry) => [entry.id, entry.amount])).toEqual([
      ['ref_sh_950113344556', { amount: 4420, currency: 'USD' }],
    ]);
    expect(order.payment.status).toBe('partially_refunded');
  });

  it('answers 409 for a refund of an order it does not have yet, so that Shopify retries it', async () => {
    const before = storedRows();
    const body = JSON.stringify({ ...platformFixture('shopify/refund-1042.json'), order_id: 4242424242 });
    const headers = shopifyHeaders(body, 'refunds/create', { webhookId: 'refund-before-order' });
    const response = await shopify(body, headers);
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(storedRows()).toEqual(before);
    // Not recorded as applied: the retry is applied once the order exists.
    const order = JSON.stringify({
      ...platformFixture('shopify/order-1042-paid.json'),
      id: 4242424242,
      order_number: 1099,
    });
    expect((await shopify(order, shopifyHeaders(order, 'orders/create'))).status).toBe(200);
    expect((await shopify(body, headers)).body).toMatchObject({
      status: 'stored',
      orderId: 'ord_sh_4242424242',
    });
  });

  it('refuses a signed delivery it cannot map with 400, and stores nothing', async () => {
    const before = storedRows();
    const bodies: [string, string][] = [
      ['{"id": 1, "line_items": [', 'orders/create'],
      ['[]', 'orders/create'],
      [
        JSON.stringify({ ...platformFixture('shopify/order-1042-paid.json'), total_price: '12.345' }),
        'orders/updated',
      ],
      [JSON.stringify({ ...platformFixture('shopify/order-1042-paid.json'), id: 2 ** 60 }), 'orders/create'],
      [JSON.stringify({ id: 1 }), 'fulfillments/update'],
    ];
    for (const [body, topic] of bodies) {
      const response = await shopify(body, shopifyHeaders(body, topic));
      expect(response.status, body.slice(0, 40)).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    }
    const noTopic = { ...shopifyHeaders(bodies[0]![0], 'orders/create') };
    delete noTopic['x-shopify-topic'];
    expect((await shopify(bodies[0]![0], noTopic)).status).toBe(400);
    expect(storedRows()).toEqual(before);
  });

  it('acknowledges topics it does not keep without storing them', async () => {
    const before = storedRows();
    const body = JSON.stringify({ id: 632910392, title: 'IPod Nano - 8GB' });
    expect(await shopify(body, shopifyHeaders(body, 'products/update'))).toEqual({
      status: 200,
      body: { status: 'ignored', topic: 'products/update' },
    });
    expect(storedRows()).toEqual(before);
  });

  it('answers 413 to a body over 1 MB and 405 to anything but POST', async () => {
    const before = storedRows();
    const huge = JSON.stringify({
      ...platformFixture('shopify/order-1042-paid.json'),
      note: 'x'.repeat(MAX_WEBHOOK_BODY_BYTES),
    });
    expect((await shopify(huge, shopifyHeaders(huge, 'orders/create'))).status).toBe(413);
    expect(storedRows()).toEqual(before);
    const get = await fetch(`${gateway.httpUrl}/webhooks/shopify`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    // The gateway still serves after refusing an oversize body.
    expect((await fetch(`${gateway.httpUrl}/healthz`)).status).toBe(200);
  });
});

describe('WooCommerce webhooks', () => {
  const orderBody = platformFixtureText('woocommerce/order-7281-processing.json');

  it("answers WooCommerce's ping with 200 and stores nothing", async () => {
    const before = storedRows();
    const response = await woocommerce('webhook_id=14', {
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
    });
    expect(response).toEqual({ status: 200, body: { status: 'ok' } });
    expect(storedRows()).toEqual(before);
  });

  it('refuses tampered, unsigned and wrongly signed deliveries with 401 and stores nothing', async () => {
    const before = storedRows();
    const signed = wooCommerceHeaders(orderBody, 'order.created');
    const { 'x-wc-webhook-signature': _signature, ...unsigned } = signed;
    for (const [body, headers] of [
      [orderBody.replace('"278.00"', '"2.78"'), signed],
      [orderBody, unsigned],
      [orderBody, wooCommerceHeaders(orderBody, 'order.created', { secret: SHOPIFY_TEST_SECRET })],
      ['webhook_id=14', signed],
    ] as const) {
      expect((await woocommerce(body, headers)).status).toBe(401);
    }
    expect(storedRows()).toEqual(before);
  });

  it('stores a signed order.created, searchable by number, phone tail and a 2-character Chinese name', async () => {
    const response = await woocommerce(orderBody, wooCommerceHeaders(orderBody, 'order.created'));
    expect(response).toEqual({ status: 200, body: { status: 'stored', orderId: 'ord_wc_7281', version: 1 } });
    const { order } = await agent.call('orders.get', { id: 'ord_wc_7281' });
    // The agent signed in as frontline: the stored order as that role may see it.
    expect(order).toEqual(
      visibleOrder({ ...mapWooOrder(JSON.parse(orderBody)), version: 1 }, ROLE_FIELD_POLICIES.frontline),
    );
    for (const text of ['WC-7281', '7281', '2233', '王静', '蓝牙耳机']) {
      const { items } = await agent.call('orders.search', { text });
      expect(
        items.map((item) => item.id),
        text,
      ).toContain('ord_wc_7281');
    }
  });

  it('order.updated merges the new snapshot (version 2)', async () => {
    const body = JSON.stringify({
      ...platformFixture('woocommerce/order-7281-processing.json'),
      status: 'completed',
      date_completed_gmt: '2026-11-23T02:00:00',
      date_modified_gmt: '2026-11-23T02:00:00',
    });
    expect((await woocommerce(body, wooCommerceHeaders(body, 'order.updated'))).body).toEqual({
      status: 'stored',
      orderId: 'ord_wc_7281',
      version: 2,
    });
    const { order } = await agent.call('orders.get', { id: 'ord_wc_7281' });
    expect(order.status).toBe('completed');
    expect(order.timeline.map((entry) => entry.status)).toEqual(['pending_payment', 'paid', 'completed']);
  });
});

describe('webhook configuration and metrics', () => {
  it('answers 404 for a platform without a secret', async () => {
    const dir = makeTempDir();
    const bare = await startTestGateway({ dbPath: join(dir.path, 'bare.db') });
    try {
      const body = platformFixtureText('shopify/order-1042-paid.json');
      expect(
        (await postWebhook(bare.httpUrl, 'shopify', body, shopifyHeaders(body, 'orders/create'))).status,
      ).toBe(404);
      const wooBody = platformFixtureText('woocommerce/order-7281-processing.json');
      expect(
        (
          await postWebhook(
            bare.httpUrl,
            'woocommerce',
            wooBody,
            wooCommerceHeaders(wooBody, 'order.created'),
          )
        ).status,
      ).toBe(404);
      expect((await postWebhook(bare.httpUrl, 'woocommerce', 'webhook_id=1', {})).status).toBe(404);
    } finally {
      await bare.close();
      dir.remove();
    }
  });

  it('counts deliveries by platform and result in /metrics', async () => {
    const text = await (await fetch(`${gateway.httpUrl}/metrics`)).text();
    const count = (labels: string) =>
      Number(new RegExp(`^agent_desk_webhooks_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    expect(count('platform="shopify",result="unauthorized"')).toBeGreaterThanOrEqual(10);
    expect(count('platform="shopify",result="stored"')).toBeGreaterThanOrEqual(5);
    expect(count('platform="shopify",result="duplicate"')).toBe(3);
    expect(count('platform="woocommerce",result="ping"')).toBe(1);
  });
});

describe('order snapshots older than the one applied', () => {
  const id = 'ord_wc_7290';
  const snapshot = (status: string, modifiedGmt: string) =>
    JSON.stringify({
      ...platformFixture('woocommerce/order-7290-completed-refunded.json'),
      status,
      date_completed_gmt: status === 'completed' ? '2026-11-14T22:40:21' : null,
      date_modified_gmt: modifiedGmt,
    });
  const deliver = (body: string) => woocommerce(body, wooCommerceHeaders(body, 'order.updated'));

  it('acknowledges an older snapshot as stale and changes nothing; one as old as the applied one applies', async () => {
    const completed = platformFixtureText('woocommerce/order-7290-completed-refunded.json');
    expect((await deliver(completed)).body).toEqual({ status: 'stored', orderId: id, version: 1 });
    const before = storedRows();

    // Processing, as it was before it was completed: delivered late, with a new delivery id.
    const older = await deliver(snapshot('processing', '2026-11-12T09:00:00'));
    expect(older).toEqual({ status: 200, body: { status: 'stale', orderId: id } });
    expect(storedRows()).toEqual({ ...before, deliveries: before.deliveries + 1 });
    const { order } = await agent.call('orders.get', { id });
    expect([order.status, order.version]).toEqual(['completed', 1]);

    // WooCommerce stamps whole seconds: a second change within the applied one's second applies.
    expect((await deliver(snapshot('completed', '2026-11-21T19:12:55'))).body).toMatchObject({
      status: 'stored',
      version: 2,
    });
    expect((await deliver(snapshot('processing', '2026-11-22T08:00:00'))).body).toMatchObject({
      status: 'stored',
      version: 3,
    });
    expect((await agent.call('orders.get', { id })).order.status).toBe('paid');
  });
});
