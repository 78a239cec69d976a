import type { Logger } from 'pino';
import { DEMO_PASSWORD, DEMO_USERS } from '../../shared/demo';
import type { Order } from '../../shared/domain';
import { hashPassword } from '../auth/password-hash';
import type { UserStore } from '../auth/user-store';
import type { OrderStore } from '../orders/order-store';
import { generateDemoOrders } from './demo-orders';

export const DEFAULT_DEMO_SEED = 1;
export const MAX_DEMO_ORDERS = 1_000_000;
/** Orders per transaction: 20k commits at once; a million does not grow the WAL to its full size. */
const BATCH_SIZE = 20_000;

export interface DemoSeedOptions {
  orders: number;
  seed?: number;
  /** Defaults to the current time; pass one to get the very same data on another day. */
  nowMs?: number;
  logger?: Logger;
}

export interface DemoSeedReport {
  ordersInserted: number;
  usersCreated: number;
}

/** Demo mode: the demo accounts, and demo orders when the store has none yet. */
export async function seedDemoData(
  stores: { orders: OrderStore; users: UserStore },
  options: DemoSeedOptions,
): Promise<DemoSeedReport> {
  const usersCreated = await seedDemoUsers(stores.users);
  const ordersInserted =
    (await stores.orders.count()) === 0 ? await seedDemoOrders(stores.orders, options) : 0;
  return { ordersInserted, usersCreated };
}

export async function seedDemoOrders(store: OrderStore, options: DemoSeedOptions): Promise<number> {
  if (!Number.isInteger(options.orders) || options.orders < 0 || options.orders > MAX_DEMO_ORDERS) {
    throw new RangeError(`Demo order count must be an integer from 0 to ${MAX_DEMO_ORDERS}`);
  }
  const startedAt = performance.now();
  const orders = generateDemoOrders({
    count: options.orders,
    seed: options.seed ?? DEFAULT_DEMO_SEED,
    nowMs: options.nowMs ?? Date.now(),
  });
  let inserted = 0;
  for (let batch = takeBatch(orders); batch.length > 0; batch = takeBatch(orders)) {
    inserted += await store.insertMany(batch);
    options.logger?.debug({ inserted, of: options.orders }, 'seeding demo orders');
  }
  if (inserted > 0) await store.afterBulkLoad();
  options.logger?.info(
    { orders: inserted, ms: Math.round(performance.now() - startedAt) },
    'demo orders seeded',
  );
  return inserted;
}

/** Creates the demo accounts that do not exist yet; returns how many it created. */
export async function seedDemoUsers(users: UserStore): Promise<number> {
  let created = 0;
  for (const demoUser of DEMO_USERS) {
    if (await users.findByUsername(demoUser.username)) continue;
    await users.create({
      username: demoUser.username,
      displayName: demoUser.displayName,
      role: demoUser.role,
      passwordHash: await hashPassword(DEMO_PASSWORD),
    });
    created += 1;
  }
  return created;
}

function takeBatch(orders: Iterator<Order>): Order[] {
  const batch: Order[] = [];
  for (let next = orders.next(); !next.done; next = orders.next()) {
    batch.push(next.value);
    if (batch.length === BATCH_SIZE) break;
  }
  return batch;
}
