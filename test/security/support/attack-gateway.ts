import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../../src/server/db/open-database';
import type { Gateway, GatewayOptions } from '../../../src/server/gateway';
import { SqliteOrderStore } from '../../../src/server/orders/sqlite-order-store';
import { DEMO_PASSWORD, DEMO_USERS } from '../../../src/shared/demo';
import type { Order, Role } from '../../../src/shared/domain';
import { AgentClient } from '../../unit/server/support/agent-client';
import { seedOrdersFile } from '../../unit/server/support/seeded-store';
import { makeTempDir } from '../../unit/server/support/temp-dir';
import { startTestGateway } from '../../unit/server/support/test-gateway';

/**
 * A real gateway on loopback with the demo users, some demo orders and the orders an attack is
 * about, in a database file of its own: what an attacker with a desk account talks to.
 */
export interface AttackGateway {
  gateway: Gateway;
  dbPath: string;
  /** A websocket signed in as the demo user of `role`, closed with the gateway. */
  signIn(role: Role): Promise<AgentClient>;
  /** Reads the gateway's database file directly (read-only), as an operator would. */
  readDb<T>(read: (db: Database.Database) => T): T;
  close(): Promise<void>;
}

export async function startAttackGateway(
  options: { orders?: readonly Order[]; demoOrders?: number } & Partial<
    Omit<GatewayOptions, 'dbPath' | 'demo' | 'port' | 'host' | 'logger'>
  > = {},
): Promise<AttackGateway> {
  const { orders = [], demoOrders = 200, ...gatewayOptions } = options;
  const tempDir = makeTempDir('agent-desk-attack-');
  const dbPath = join(tempDir.path, 'gateway.db');
  if (demoOrders > 0) await seedOrdersFile(dbPath, demoOrders, 7);
  if (orders.length > 0) {
    const db = openDatabase(dbPath);
    try {
      await new SqliteOrderStore(db).insertMany(orders);
    } finally {
      db.close();
    }
  }
  const gateway = await startTestGateway({ dbPath, demo: { orders: 0 }, ...gatewayOptions });
  const clients: AgentClient[] = [];
  return {
    gateway,
    dbPath,
    async signIn(role) {
      const { client } = await AgentClient.ready(gateway.url);
      clients.push(client);
      const username = DEMO_USERS.find((user) => user.role === role)!.username;
      await client.call('auth.login', { username, password: DEMO_PASSWORD });
      return client;
    },
    readDb(read) {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        return read(db);
      } finally {
        db.close();
      }
    },
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await gateway.close();
      tempDir.remove();
    },
  };
}
