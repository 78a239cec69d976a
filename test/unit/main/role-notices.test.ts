import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskServices } from '../../../src/main/desk-services';
import { SessionService } from '../../../src/main/services/session/SessionService';
import type { ContractEvents, EventName } from '../../../src/shared/contract';
import { DEMO_PASSWORD } from '../../../src/shared/demo';
import { AGENT_WS_PATH, type Approval } from '../../../src/shared/protocol';
import type { RoleView } from '../../../src/shared/role-views';
import { startGateway, type Gateway } from '../../../src/server/gateway';
import { callDesk, deskServices } from './support/desk-under-test';

const quiet = pino({ level: 'silent' });

const call = callDesk;

/** Role views and approvals: the gateway's notices reach the desk's renderer as contract events. */
describe('role notices through the desk services', () => {
  const dir = mkdtempSync(join(tmpdir(), 'role-notices-test-'));
  let gateway: Gateway;
  let wsUrl: string;
  const desks: DeskServices[] = [];

  beforeAll(async () => {
    gateway = await startGateway({
      port: 0,
      dbPath: join(dir, 'gateway.db'),
      logger: quiet,
      demo: { orders: 300, seed: 11 },
    });
    wsUrl = `${gateway.url}${AGENT_WS_PATH}`;
  });
  afterAll(async () => {
    for (const desk of desks) await desk.stop();
    await gateway.close();
  });

  /** A desk's main-process services signed in as `username`, recording the events it emits. */
  async function deskAs(username: string) {
    const services = deskServices({ gatewayUrl: wsUrl, dataDir: mkdtempSync(join(dir, 'desk-')) });
    desks.push(services);
    await services.start();
    const events: Array<{ event: EventName; payload: unknown }> = [];
    services.addEventSink((event, payload) => events.push({ event, payload }));
    const login = await services.dispatch('session.login', {
      gatewayUrl: wsUrl,
      username,
      password: DEMO_PASSWORD,
    });
    expect(login.ok).toBe(true);
    const of = <E extends EventName>(event: E) =>
      events.filter((entry) => entry.event === event).map((entry) => entry.payload as ContractEvents[E]);
    return { services, of };
  }

  async function sessionAs(username: string) {
    const session = new SessionService({ client: { name: 'test', version: '0' }, connectTimeoutMs: 3000 });
    await session.login(wsUrl, username, DEMO_PASSWORD);
    return session;
  }

  it('keeps the own view from sign-in and replaces it live when an admin saves it', async () => {
    const logistics = await deskAs('logistics');
    const current = await call(logistics.services, 'views.current', undefined);
    expect(current.role).toBe('logistics');
    expect(current.layout.defaultPanel).toBe('logistics');

    const admin = await sessionAs('admin');
    const before = await admin.request('views.get', { role: 'logistics' });
    const layout = {
      ...before.layout,
      panels: [
        { id: 'history' as const, visible: true },
        ...before.layout.panels.filter((panel) => panel.id !== 'history' && panel.id !== 'items'),
        { id: 'items' as const, visible: false },
      ],
      defaultPanel: 'history' as const,
    };
    const saved = await admin.request('views.save', {
      role: 'logistics',
      expectedVersion: before.version,
      layout,
    });
    expect(saved.version).toBe(before.version + 1);

    await expect.poll(() => logistics.of('view.changed').length).toBeGreaterThan(0);
    const pushed = logistics.of('view.changed').at(-1) as RoleView;
    expect(pushed).toMatchObject({ role: 'logistics', version: saved.version });
    expect(pushed.layout.panels[0]).toEqual({ id: 'history', visible: true });
    expect((await call(logistics.services, 'views.current', undefined)).version).toBe(saved.version);

    // A stale save is refused, not applied.
    await expect(
      admin.request('views.save', { role: 'logistics', expectedVersion: before.version, layout }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    // A non-admin may not save.
    await expect(
      call(logistics.services, 'views.save', { role: 'logistics', expectedVersion: saved.version, layout }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await admin.logout();
  });

  it('tells the requesting desk the outcome of its refund above the ceiling, with the reason', async () => {
    const frontline = await deskAs('frontline');
    const supervisor = await deskAs('supervisor');

    // An order the frontline agent may refund only with approval.
    const search = await call(frontline.services, 'orders.search', { text: '', limit: 100 });
    let target: { id: string; version: number } | null = null;
    for (const summary of search.items) {
      const allowed = await call(frontline.services, 'orders.allowedActions', { orderId: summary.id });
      const refund = allowed.actions.find((action) => action.action === 'refund');
      if (refund?.allowed && refund.needsApproval) {
        target = { id: summary.id, version: allowed.version };
        break;
      }
    }
    expect(target, 'the demo data has an order above the frontline ceiling').not.toBeNull();
    const order = await call(frontline.services, 'orders.get', { id: target!.id });

    const result = await call(frontline.services, 'orders.action', {
      orderId: target!.id,
      expectedVersion: order.version,
      idempotencyKey: crypto.randomUUID(),
      action: {
        type: 'refund',
        items: order.items.map((item) => ({ sku: item.sku, qty: item.qty })),
        includeShipping: false,
        reason: 'Item arrived broken',
      },
    });
    expect(result).toMatchObject({ outcome: 'pending_approval' });

    // The supervisor's desk hears of it and sees it in the queue.
    await expect.poll(() => supervisor.of('approval.changed').length).toBeGreaterThan(0);
    const queue = await call(supervisor.services, 'approvals.list', { statuses: ['pending'], limit: 100 });
    const pending = queue.items.find((item) => item.orderId === target!.id)!;
    expect(pending.requestedBy.displayName).toContain('Lin Xiaoyu');

    const decided = await call(supervisor.services, 'approvals.decide', {
      id: pending.id,
      decision: 'reject',
      reason: 'Ask for photos of the damage first',
    });
    expect(decided.approval.status).toBe('rejected');

    await expect
      .poll(() => frontline.of('approval.changed').filter((a: Approval) => a.status === 'rejected').length)
      .toBe(1);
    const outcome = frontline.of('approval.changed').find((a: Approval) => a.status === 'rejected')!;
    expect(outcome).toMatchObject({
      id: pending.id,
      decisionReason: 'Ask for photos of the damage first',
      decidedBy: { displayName: expect.stringContaining('Wang Jing') },
    });
  });
});
