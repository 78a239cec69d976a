import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplacementCatalog } from '../../../src/server/catalog/replacement-catalog';
import { openDatabase } from '../../../src/server/db/open-database';
import type { Gateway } from '../../../src/server/gateway';
import { SqliteOrderStore } from '../../../src/server/orders/sqlite-order-store';
import { DEMO_PASSWORD } from '../../../src/shared/demo';
import type { Order } from '../../../src/shared/domain';
import { DeskError } from '../../../src/shared/errors';
import type { ReplacementOption } from '../../../src/shared/protocol';
import { anOrder } from '../shared/rules/order-builder';
import { AgentClient } from './support/agent-client';
import { startTestGateway } from './support/test-gateway';
import { makeTempDir } from './support/temp-dir';

const now = new Date();

const ORDERS: Order[] = [
  {
    ...anOrder('CNY', now).withId('ord_tee').item('SHOP-TEE-RED-M', 9900).delivered(1).build(),
    platform: 'shopify',
  },
  // A demo product: the deployment's catalogue answers for it too, not the demo catalogue.
  anOrder('CNY', now).withId('ord_shoe').item('AP-SN-RUN', 45900).delivered(1).build(),
  anOrder('CNY', now).withId('ord_offline_shop').item('SHOP-MUG-BLUE', 5900).delivered(1).build(),
];

/** A shop's catalogue as a deployment would pass it: the tee in two more colours, the mug's shop down. */
class ShopCatalog implements ReplacementCatalog {
  readonly asked: Array<{ orderId: string; customerPhone: string; sku: string }> = [];

  async optionsFor(order: Order, sku: string): Promise<ReplacementOption[]> {
    this.asked.push({ orderId: order.id, customerPhone: order.customer.phone, sku });
    if (sku === 'SHOP-MUG-BLUE') throw new DeskError('GATEWAY_UNAVAILABLE', 'The shop did not answer');
    const item = order.items.find((candidate) => candidate.sku === sku);
    if (!item) return [];
    return [
      { sku, title: item.title, option: '', sameAsOrdered: true },
      ...['BLUE', 'BLACK'].map((colour) => ({
        sku: sku.replace('RED', colour),
        title: item.title,
        option: `${colour.toLowerCase()}, M`,
        sameAsOrdered: false,
      })),
    ].filter((option, index) => index === 0 || option.sku !== sku);
  }
}

describe('startGateway({ replacementCatalog })', () => {
  const tempDir = makeTempDir();
  const dbPath = join(tempDir.path, 'gateway.db');
  const catalog = new ShopCatalog();
  let gateway: Gateway;
  let agent: AgentClient;

  beforeAll(async () => {
    const db = openDatabase(dbPath);
    await new SqliteOrderStore(db).insertMany(ORDERS);
    db.close();
    gateway = await startTestGateway({ dbPath, demo: { orders: 0 }, replacementCatalog: catalog });
    ({ client: agent } = await AgentClient.ready(gateway.url));
    await agent.call('auth.login', { username: 'frontline', password: DEMO_PASSWORD });
  });

  afterAll(async () => {
    await agent?.close();
    await gateway?.close();
    tempDir.remove();
  });

  const exchange = async (orderId: string, sku: string, replacementSku: string) => {
    const { order } = await agent.call('orders.get', { id: orderId });
    return agent.request('orders.action', {
      orderId,
      expectedVersion: order.version,
      idempotencyKey: `catalog-${orderId}-${replacementSku}-${now.getTime()}`,
      action: { type: 'exchange', items: [{ sku, qty: 1, replacementSku }], reason: 'Wrong colour' },
    });
  };

  it("lists the deployment's options, asked with the stored (unmasked) order", async () => {
    const { options } = await agent.call('orders.replacements', {
      orderId: 'ord_tee',
      sku: 'SHOP-TEE-RED-M',
    });
    expect(options.map((option) => option.sku)).toEqual([
      'SHOP-TEE-RED-M',
      'SHOP-TEE-BLUE-M',
      'SHOP-TEE-BLACK-M',
    ]);
    expect(options[1]).toMatchObject({ option: 'blue, M', sameAsOrdered: false });
    const asked = catalog.asked.at(-1)!;
    expect(asked).toMatchObject({ orderId: 'ord_tee', sku: 'SHOP-TEE-RED-M' });
    // The frontline agent sees the phone masked; the catalogue, inside the gateway, does not.
    expect(asked.customerPhone).toBe(ORDERS[0]!.customer.phone);
    expect(asked.customerPhone).not.toMatch(/\*/);
  });

  it('replaces the demo catalogue entirely', async () => {
    const { options } = await agent.call('orders.replacements', { orderId: 'ord_shoe', sku: 'AP-SN-RUN' });
    expect(options.map((option) => option.sku)).toEqual(['AP-SN-RUN']);
  });

  it('applies an exchange to an option it offers and refuses one it does not', async () => {
    const offered = await exchange('ord_tee', 'SHOP-TEE-RED-M', 'SHOP-TEE-BLUE-M');
    expect(offered.ok ? offered.result.order.afterSales?.at(-1) : offered.error).toMatchObject({
      kind: 'exchange',
      items: [{ sku: 'SHOP-TEE-RED-M', replacementSku: 'SHOP-TEE-BLUE-M' }],
    });

    const refused = await exchange('ord_shoe', 'AP-SN-RUN', 'AP-SN-RUN-42');
    expect(refused.ok ? null : refused.error).toMatchObject({
      code: 'NOT_ELIGIBLE',
      details: {
        reasons: [
          { code: 'REPLACEMENT_NOT_OFFERED', params: { sku: 'AP-SN-RUN', replacementSku: 'AP-SN-RUN-42' } },
        ],
      },
    });
  });

  it("passes the catalogue's own failure on with its code", async () => {
    const error = await agent.callFailing('orders.replacements', {
      orderId: 'ord_offline_shop',
      sku: 'SHOP-MUG-BLUE',
    });
    expect(error.code).toBe('GATEWAY_UNAVAILABLE');
    const refused = await exchange('ord_offline_shop', 'SHOP-MUG-BLUE', 'SHOP-MUG-RED');
    expect(refused.ok ? null : refused.error.code).toBe('GATEWAY_UNAVAILABLE');
  });
});
