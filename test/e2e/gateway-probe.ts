import { GatewayClient } from '../../src/main/services/gateway/GatewayClient';
import { DEMO_LOGIN } from '../../src/shared/demo';
import type { Order } from '../../src/shared/domain';
import type { ActionType, AllowedAction } from '../../src/shared/rules/types';

/**
 * A second agent on the real gateway, over the real protocol: finds orders in the seeded data
 * that fit a test, and changes them the way another desk would.
 */
export class GatewayProbe {
  private constructor(private readonly client: GatewayClient) {}

  static async open(wsUrl: string, login = DEMO_LOGIN): Promise<GatewayProbe> {
    const client = new GatewayClient({ url: wsUrl, client: { name: 'e2e-probe', version: '0' } });
    client.start();
    await client.waitOnline(5000);
    await client.request('auth.login', login);
    return new GatewayProbe(client);
  }

  async order(id: string): Promise<Order> {
    return (await this.client.request('orders.get', { id })).order;
  }

  /**
   * The newest order (of the statuses given) whose customer has a mainland-China mobile and
   * whose allowed actions pass `fits`; each test asks for a different `skip` so tests never
   * share an order.
   */
  async findOrder(
    statuses: Order['status'][],
    fits: (actions: Map<ActionType, AllowedAction>, order: Order) => boolean,
    skip = 0,
  ): Promise<Order> {
    const { items } = await this.client.request('orders.search', { text: '', statuses, limit: 100 });
    let skipped = 0;
    for (const summary of items) {
      if (!summary.customerPhone.startsWith('+861')) continue;
      const order = await this.order(summary.id);
      const { actions } = await this.client.request('orders.allowedActions', { orderId: order.id });
      if (!fits(new Map(actions.map((action) => [action.action, action])), order)) continue;
      if (skipped++ < skip) continue;
      return order;
    }
    throw new Error(`No ${statuses.join('/')} order fits`);
  }

  /** Opens a return of every returnable unit (an open after-sales case), as another agent would. */
  async startReturn(order: Order): Promise<Order> {
    const items = order.items.filter((item) => item.returnable).map(({ sku, qty }) => ({ sku, qty }));
    const result = await this.client.request('orders.action', {
      orderId: order.id,
      expectedVersion: order.version,
      idempotencyKey: crypto.randomUUID(),
      action: { type: 'return', items, reason: 'Customer changed their mind' },
    });
    return result.order;
  }

  async addNote(order: Order, text: string): Promise<Order> {
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
