import { GatewayClient } from '../../src/main/services/gateway/GatewayClient';
import { DEMO_LOGIN } from '../../src/shared/demo';
import type { Order } from '../../src/shared/domain';
import type { ActionType, AllowedAction } from '../../src/shared/rules/types';
import type { VisibleOrder } from '../../src/shared/visibility';

/** An order with the customer's name and phone revealed (what a caller test dials and expects). */
export type OrderWithContact = VisibleOrder & { customer: { name: string; phone: string } };

/**
 * A second agent on the real gateway, over the real protocol: finds orders in the seeded data
 * that fit a test, and changes them the way another desk would.
 */
export class GatewayProbe {
  private constructor(private readonly client: GatewayClient) {}

  static async open(
    wsUrl: string,
    login: { username: string; password: string } = DEMO_LOGIN,
  ): Promise<GatewayProbe> {
    const client = new GatewayClient({ url: wsUrl, client: { name: 'e2e-probe', version: '0' } });
    client.start();
    await client.waitOnline(5000);
    await client.request('auth.login', login);
    return new GatewayProbe(client);
  }

  /** The order as the probe's role (frontline) sees it: contact details masked. */
  async order(id: string): Promise<VisibleOrder> {
    return (await this.client.request('orders.get', { id })).order;
  }

  /**
   * The newest order (of the statuses given) whose customer has a mainland-China mobile and
   * whose allowed actions pass `fits`; each test asks for a different `skip` so tests never
   * share an order.
   */
  async findOrder(
    statuses: Order['status'][],
    fits: (actions: Map<ActionType, AllowedAction>, order: VisibleOrder) => boolean,
    skip = 0,
  ): Promise<OrderWithContact> {
    const { items } = await this.client.request('orders.search', { text: '', statuses, limit: 100 });
    let skipped = 0;
    for (const summary of items) {
      const order = await this.order(summary.id);
      // Mainland-China customers (the demo gives them +86 mobiles); the phone itself is masked.
      if (order.shippingAddress.country !== 'CN') continue;
      const { actions } = await this.client.request('orders.allowedActions', { orderId: order.id });
      if (!fits(new Map(actions.map((action) => [action.action, action])), order)) continue;
      if (skipped++ < skip) continue;
      // The tests call in as this customer: reveal who that is, as an agent would (audited).
      const reveal = async (field: 'customer.name' | 'customer.phone') =>
        (
          await this.client.request('orders.reveal', {
            orderId: order.id,
            field,
            reason: 'e2e: the test calls in as this customer',
          })
        ).value ?? '';
      const phone = await reveal('customer.phone');
      if (!phone.startsWith('+861')) continue;
      return { ...order, customer: { ...order.customer, name: await reveal('customer.name'), phone } };
    }
    throw new Error(`No ${statuses.join('/')} order fits`);
  }

  /** Opens a return of every returnable unit (an open after-sales case), as another agent would. */
  async startReturn(order: VisibleOrder): Promise<VisibleOrder> {
    const items = order.items.filter((item) => item.returnable).map(({ sku, qty }) => ({ sku, qty }));
    const result = await this.client.request('orders.action', {
      orderId: order.id,
      expectedVersion: order.version,
      idempotencyKey: crypto.randomUUID(),
      action: { type: 'return', items, reason: 'Customer changed their mind' },
    });
    return result.order;
  }

  async addNote(order: VisibleOrder, text: string): Promise<VisibleOrder> {
    const result = await this.client.request('orders.action', {
      orderId: order.id,
      expectedVersion: order.version,
      idempotencyKey: crypto.randomUUID(),
      action: { type: 'note', text },
    });
    return result.order;
  }

  close(): Promise<void> {
    return this.client.stop();
  }
}
