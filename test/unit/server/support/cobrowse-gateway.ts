import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { RelayedFrame } from '../../../../src/server/cobrowse/cobrowse-room';
import type { CobrowseOptions } from '../../../../src/server/cobrowse/cobrowse-options';
import type { Gateway, GatewayOptions } from '../../../../src/server/gateway';
import { DEMO_PASSWORD, DEMO_USERS } from '../../../../src/shared/demo';
import type { Role } from '../../../../src/shared/domain';
import { AgentClient } from './agent-client';
import { SHOP_ORIGIN } from './cobrowse-customer';
import { seedOrdersFile } from './seeded-store';
import { makeTempDir } from './temp-dir';
import { startTestGateway } from './test-gateway';

export interface AuditRow {
  seq: number;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

/**
 * A real gateway on loopback for co-browse tests: the demo users, a few demo orders, the shop
 * origin allowed, and every frame it relays recorded (`relayed`).
 */
export interface CobrowseGateway {
  gateway: Gateway;
  /** The gateway's database file (for operator commands). */
  dbPath: string;
  /** Every frame customers sent and the gateway relayed, in order (the onRelay tap). */
  relayed: RelayedFrame[];
  /** The id of a demo order (for joins linked to an order). */
  orderId: string;
  signIn(role: Role): Promise<AgentClient>;
  audit(action?: string): AuditRow[];
  close(): Promise<void>;
}

export async function startCobrowseGateway(
  options: { cobrowse?: CobrowseOptions } & Partial<
    Omit<GatewayOptions, 'dbPath' | 'demo' | 'port' | 'host' | 'logger' | 'cobrowse'>
  > = {},
): Promise<CobrowseGateway> {
  const { cobrowse = {}, ...gatewayOptions } = options;
  const tempDir = makeTempDir('agent-desk-cobrowse-');
  const dbPath = join(tempDir.path, 'gateway.db');
  const orders = await seedOrdersFile(dbPath, 5, 11);
  const relayed: RelayedFrame[] = [];
  const gateway = await startTestGateway({
    dbPath,
    demo: { orders: 0 },
    ...gatewayOptions,
    cobrowse: {
      origins: [SHOP_ORIGIN],
      ...cobrowse,
      onRelay: (frame) => {
        relayed.push(frame);
        cobrowse.onRelay?.(frame);
      },
    },
  });
  const clients: AgentClient[] = [];
  return {
    gateway,
    dbPath,
    relayed,
    orderId: orders[0]!.id,
    async signIn(role) {
      const { client } = await AgentClient.ready(gateway.url);
      clients.push(client);
      const username = DEMO_USERS.find((user) => user.role === role)!.username;
      await client.call('auth.login', { username, password: DEMO_PASSWORD });
      return client;
    },
    audit(action) {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        const rows = db
          .prepare<[], { seq: number; actor: string; action: string; target: string; details_json: string }>(
            'SELECT seq, actor, action, target, details_json FROM audit_log ORDER BY seq',
          )
          .all()
          .map(({ details_json, ...row }) => ({
            ...row,
            details: JSON.parse(details_json) as Record<string, unknown>,
          }));
        return action === undefined ? rows : rows.filter((row) => row.action === action);
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
