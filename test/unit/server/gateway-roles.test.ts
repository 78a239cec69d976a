import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../../src/server/audit/verify-audit';
import { openDatabase } from '../../../src/server/db/open-database';
import type { Gateway } from '../../../src/server/gateway';
import { SqliteOrderStore } from '../../../src/server/orders/sqlite-order-store';
import { DEMO_PASSWORD, DEMO_USERS } from '../../../src/shared/demo';
import { OrderSummary, ROLES, type Order, type Role } from '../../../src/shared/domain';
import type { ActionRequest } from '../../../src/shared/protocol';
import { DEFAULT_ROLE_LAYOUTS } from '../../../src/shared/role-views';
import { FIELD_CLASSIFICATION, type FieldPath } from '../../../src/shared/visibility';
import { anOrder } from '../shared/rules/order-builder';
import { AgentClient } from './support/agent-client';
import { nextEvent } from './support/event-reading';
import { keysBesideDatabase } from './support/gateway-keys';
import { makeTempDir } from './support/temp-dir';
import { startTestGateway } from './support/test-gateway';

const now = new Date();
const order = (id: string) => anOrder('CNY', now).withId(id);

/** An order with every classified field filled in, so that the wire shows what is withheld. */
const FULL: Order = (() => {
  const built = order('ord_fields').item('EL-PB-20K', 15900).flag('fraud_suspect').build();
  return {
    ...built,
    shippingAddress: { ...built.shippingAddress, line2: 'Building 3, floor 12' },
    notes: [{ at: now.toISOString(), author: 'QA', text: 'Customer prefers calls after 6 pm' }],
  };
})();

const ORDERS: Order[] = [
  FULL,
  order('ord_approve').item('EL-SW-S3', 129900).build(),
  order('ord_reject').item('EL-SW-S3', 129900).build(),
  order('ord_fail').item('EL-SW-S3', 129900).build(),
  order('ord_race').item('EL-SW-S3', 129900).build(),
  order('ord_limit').item('EL-PB-20K', 15900).build(),
];

/** What each default role receives of each classified field: the acceptance table. */
const EXPECTED: Record<Role, { hidden: FieldPath[]; masked: FieldPath[] }> = {
  frontline: {
    hidden: [],
    masked: [
      'customer.name',
      'customer.phone',
      'customer.email',
      'shippingAddress.name',
      'shippingAddress.phone',
      'shippingAddress.line1',
      'shippingAddress.line2',
      'shippingAddress.postalCode',
    ],
  },
  logistics: {
    hidden: ['payment.method', 'payment.paidAt', 'riskFlags'],
    masked: [
      'customer.name',
      'customer.phone',
      'customer.email',
      'shippingAddress.name',
      'shippingAddress.phone',
    ],
  },
  after_sales: {
    hidden: [],
    masked: [
      'customer.name',
      'customer.phone',
      'customer.email',
      'shippingAddress.name',
      'shippingAddress.phone',
    ],
  },
  supervisor: {
    hidden: [],
    masked: [
      'customer.name',
      'customer.phone',
      'customer.email',
      'shippingAddress.name',
      'shippingAddress.phone',
    ],
  },
  admin: {
    hidden: ['payment.method', 'payment.paidAt'],
    masked: [
      'customer.name',
      'customer.phone',
      'customer.email',
      'shippingAddress.name',
      'shippingAddress.phone',
      'shippingAddress.line1',
      'shippingAddress.line2',
      'shippingAddress.postalCode',
    ],
  },
};

const ALL_PATHS = Object.keys(FIELD_CLASSIFICATION) as FieldPath[];
const NESTED = ['customer', 'payment', 'shippingAddress'];

/** The classified field paths present in a received order (plus 'visibility'). */
function receivedPaths(received: object): string[] {
  return Object.entries(received)
    .flatMap(([key, value]) =>
      NESTED.includes(key) ? Object.keys(value as object).map((inner) => `${key}.${inner}`) : [key],
    )
    .sort();
}

/** ord_fields as the gateway stores it now (the event tests change it). */
let stored: Order = FULL;

function expectWithheldAs(role: Role, received: Record<string, unknown>): void {
  const { hidden, masked } = EXPECTED[role];
  const expected = [...ALL_PATHS.filter((path) => !hidden.includes(path)), 'visibility'].sort();
  expect(receivedPaths(received)).toEqual(expected);
  const value = (path: string) => {
    const [head, tail] = path.split('.') as [string, string | undefined];
    const top = received[head];
    return tail ? (top as Record<string, unknown>)[tail] : top;
  };
  for (const path of ALL_PATHS) {
    if (hidden.includes(path)) continue;
    const [head, tail] = path.split('.') as [keyof Order, string | undefined];
    const original = tail ? (stored[head] as unknown as Record<string, unknown>)[tail] : stored[head];
    if (masked.includes(path)) {
      expect(value(path), path).not.toEqual(original);
      expect(String(value(path)), path).toContain('*');
    } else {
      expect(value(path), path).toEqual(original);
    }
  }
  // A masked phone keeps the last four digits: search and the agent's "ending in 8000" work.
  expect(value('customer.phone')).toMatch(/\*+8000$/);
  expect(received.visibility).toEqual(expect.objectContaining({ hidden: expect.arrayContaining(hidden) }));
}

const tempDir = makeTempDir();
const dbPath = join(tempDir.path, 'gateway.db');
let gateway: Gateway;
const clients: AgentClient[] = [];

beforeAll(async () => {
  const db = openDatabase(dbPath);
  await new SqliteOrderStore(db).insertMany(ORDERS);
  db.close();
  gateway = await startTestGateway({ dbPath, demo: { orders: 0 } });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await gateway?.close();
  tempDir.remove();
});

const usernameOf = (role: Role) => DEMO_USERS.find((user) => user.role === role)!.username;

async function signIn(role: Role) {
  const { client } = await AgentClient.ready(gateway.url);
  clients.push(client);
  const login = await client.call('auth.login', { username: usernameOf(role), password: DEMO_PASSWORD });
  return { client, login };
}

function withDb<T>(read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const auditRows = (action: string) =>
  withDb((db) =>
    db
      .prepare<[string], { actor: string; target: string; details_json: string }>(
        'SELECT actor, target, details_json FROM audit_log WHERE action = ? ORDER BY seq',
      )
      .all(action),
  );

let keys = 0;
const newKey = () => `roles-key-${++keys}-${now.getTime()}`;

/** A goodwill refund of `amount` (default: all that was paid). */
async function refund(client: AgentClient, orderId: string, amount?: number) {
  const { order: current } = await client.call('orders.get', { id: orderId });
  const request: ActionRequest = {
    orderId,
    expectedVersion: current.version,
    idempotencyKey: newKey(),
    action: {
      type: 'refund',
      items: [],
      includeShipping: false,
      reason: 'Goodwill refund for a late parcel',
      amount: { amount: amount ?? current.payment.amount.amount, currency: 'CNY' },
    },
  };
  return client.request('orders.action', request);
}

describe('the demo users', () => {
  it('cover every role', () => {
    expect(new Set(DEMO_USERS.map((user) => user.role))).toEqual(new Set(ROLES));
  });
});

describe.each(ROLES)('what the %s role receives on the wire', (role) => {
  it('orders.get: exactly the fields of its classes, masked where masked', async () => {
    const { client, login } = await signIn(role);
    expect(login.view.role).toBe(role);
    const { order: received } = await client.call('orders.get', { id: 'ord_fields' });
    expectWithheldAs(role, received as unknown as Record<string, unknown>);
    const found = await client.call('orders.find', { displayNumber: FULL.displayNumber });
    expect(found.order).toEqual(received);
  });

  it('a search row: customer name and phone masked, the rest as stored', async () => {
    const { client } = await signIn(role);
    const { items } = await client.call('orders.search', { text: '8000', limit: 100 });
    const row = items.find((item) => item.id === 'ord_fields')!;
    // Every summary field: none is withheld from any role, two are masked.
    expect(Object.keys(row).sort()).toEqual(Object.keys(OrderSummary.shape).sort());
    expect(row.customerPhone).toMatch(/^\+\*+8000$/);
    expect(row.customerName).toBe('张*');
    const byCustomer = await client.call('orders.byCustomer', { customerId: FULL.customer.id });
    expect(
      byCustomer.items.every(
        (item) => item.customerPhone?.endsWith('8000') && item.customerPhone.includes('*'),
      ),
    ).toBe(true);
  });

  it('an event frame carries the order as the role may see it', async () => {
    const { client } = await signIn(role);
    const { headSeq } = await client.call('events.head');
    await client.call('events.subscribe', { fromSeq: headSeq });
    const change = await gateway.changes.update('ord_fields', null, (current) => current, {
      source: 'system',
    });
    stored = change.order;
    const event = await nextEvent(client);
    expect(event.orderId).toBe('ord_fields');
    expectWithheldAs(role, event.order as unknown as Record<string, unknown>);
    await client.call('events.unsubscribe');
  });
});

describe('a forged client asking for more gets FORBIDDEN', () => {
  it.each([
    [
      'logistics',
      'orders.reveal',
      { orderId: 'ord_fields', field: 'payment.method', reason: 'just curious' },
    ],
    ['admin', 'orders.reveal', { orderId: 'ord_fields', field: 'customer.phone', reason: 'just curious' }],
    ['frontline', 'orders.reveal', { orderId: 'ord_fields', field: 'notes', reason: 'just curious' }],
    [
      'frontline',
      'views.save',
      { role: 'frontline', expectedVersion: 0, layout: DEFAULT_ROLE_LAYOUTS.frontline },
    ],
    ['supervisor', 'views.list', {}],
    ['frontline', 'views.get', { role: 'logistics' }],
    ['frontline', 'approvals.decide', { id: 1, decision: 'approve' }],
    ['after_sales', 'approvals.list', {}],
    ['logistics', 'team.list', {}],
  ] as const)('%s calling %s', async (role, method, params) => {
    const { client } = await signIn(role);
    const error = await client.callFailing(method, params);
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message.length).toBeGreaterThan(10);
  });
});

describe('orders.reveal', () => {
  it('gives the value and audits the field and the reason, never the value', async () => {
    const { client, login } = await signIn('frontline');
    const revealed = await client.call('orders.reveal', {
      orderId: 'ord_fields',
      field: 'customer.phone',
      reason: 'Caller asks us to confirm the number on file',
    });
    expect(revealed).toEqual({ field: 'customer.phone', value: FULL.customer.phone });
    const rows = auditRows('field.reveal').filter((row) => row.actor === login.user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.target).toBe('ord_fields');
    expect(JSON.parse(rows[0]!.details_json)).toEqual(
      expect.objectContaining({
        field: 'customer.phone',
        reason: 'Caller asks us to confirm the number on file',
      }),
    );
    expect(rows[0]!.details_json).not.toContain('13800138000');
    expect(withDb((db) => verifyAudit(db, keysBesideDatabase(dbPath))).ok).toBe(true);
  });

  it('needs a reason', async () => {
    const { client } = await signIn('frontline');
    const error = await client.callFailing('orders.reveal', {
      orderId: 'ord_fields',
      field: 'customer.phone',
      reason: '',
    });
    expect(error.code).toBe('BAD_REQUEST');
  });

  it('is rate limited per agent', async () => {
    const { client } = await signIn('after_sales');
    const params = {
      orderId: 'ord_fields',
      field: 'customer.email',
      reason: 'Customer asks for the invoice',
    } as const;
    for (let i = 0; i < 30; i += 1) await client.call('orders.reveal', params);
    expect((await client.callFailing('orders.reveal', params)).code).toBe('RATE_LIMITED');
  });
});

describe('approvals', () => {
  it('a frontline refund over the ceiling reaches the supervisor queue; approval applies it', async () => {
    const { client: agent, login: agentLogin } = await signIn('frontline');
    const { client: supervisor } = await signIn('supervisor');
    const outcome = await refund(agent, 'ord_approve');
    expect(outcome.ok && outcome.result.outcome).toBe('pending_approval');
    const approvalId = outcome.ok ? outcome.result.approvalId! : 0;
    expect(approvalId).toBeGreaterThan(0);
    expect((await supervisor.nextNotice('approval')).approval).toEqual(
      expect.objectContaining({ id: approvalId, status: 'pending' }),
    );

    const { items } = await supervisor.call('approvals.list');
    const queued = items.find((item) => item.id === approvalId)!;
    expect(queued).toEqual(
      expect.objectContaining({
        orderId: 'ord_approve',
        displayNumber: 'DD-ord_approve',
        amount: { amount: 129900, currency: 'CNY' },
        requestedBy: { id: agentLogin.user.id, displayName: agentLogin.user.displayName },
        status: 'pending',
        reasons: [expect.objectContaining({ code: 'REFUND_ABOVE_LIMIT' })],
      }),
    );

    const watcher = (await signIn('after_sales')).client;
    const { headSeq } = await watcher.call('events.head');
    await watcher.call('events.subscribe', { fromSeq: headSeq });

    const { approval } = await supervisor.call('approvals.decide', { id: approvalId, decision: 'approve' });
    expect(approval.status).toBe('approved');
    expect(approval.eventSeq).toBeGreaterThan(headSeq);
    const event = await nextEvent(watcher);
    expect(event).toEqual(expect.objectContaining({ seq: approval.eventSeq, orderId: 'ord_approve' }));
    const { order: after } = await agent.call('orders.get', { id: 'ord_approve' });
    expect(after.payment.status).toBe('refunded');
    expect(after.afterSales.at(-1)).toEqual(
      expect.objectContaining({ kind: 'refund', amount: { amount: 129900, currency: 'CNY' } }),
    );

    const notice = await agent.nextNotice('approval');
    expect(notice.approval).toEqual(expect.objectContaining({ id: approvalId, status: 'approved' }));
    expect(auditRows('approval.approve').map((row) => JSON.parse(row.details_json).approvalId)).toContain(
      approvalId,
    );
    // Decided once: a second decision is a conflict.
    expect(
      (
        await supervisor.callFailing('approvals.decide', {
          id: approvalId,
          decision: 'reject',
          reason: 'late',
        })
      ).code,
    ).toBe('VERSION_CONFLICT');
  });

  it('rejection needs a reason, cancels the action and tells the agent why', async () => {
    const { client: agent } = await signIn('frontline');
    const { client: supervisor } = await signIn('supervisor');
    const outcome = await refund(agent, 'ord_reject');
    const approvalId = outcome.ok ? outcome.result.approvalId! : 0;
    expect(
      (await supervisor.callFailing('approvals.decide', { id: approvalId, decision: 'reject' })).code,
    ).toBe('BAD_REQUEST');
    const { approval } = await supervisor.call('approvals.decide', {
      id: approvalId,
      decision: 'reject',
      reason: 'Refund the item, not the whole order',
    });
    expect(approval).toEqual(
      expect.objectContaining({
        status: 'rejected',
        decisionReason: 'Refund the item, not the whole order',
        eventSeq: null,
      }),
    );
    const notice = await agent.nextNotice('approval');
    expect(notice.approval).toEqual(
      expect.objectContaining({
        id: approvalId,
        status: 'rejected',
        decisionReason: 'Refund the item, not the whole order',
      }),
    );
    const { order: after } = await agent.call('orders.get', { id: 'ord_reject' });
    expect(after.payment.status).toBe('paid');
    expect(auditRows('approval.reject').map((row) => JSON.parse(row.details_json).approvalId)).toContain(
      approvalId,
    );
  });

  it('fails with the reason when the order no longer allows the action', async () => {
    const { client: agent } = await signIn('frontline');
    const { client: supervisor } = await signIn('supervisor');
    const outcome = await refund(agent, 'ord_fail');
    const approvalId = outcome.ok ? outcome.result.approvalId! : 0;
    // Meanwhile the order is refunded in full another way.
    expect((await refund(supervisor, 'ord_fail')).ok).toBe(true);
    const { approval } = await supervisor.call('approvals.decide', { id: approvalId, decision: 'approve' });
    expect(approval.status).toBe('failed');
    expect(approval.decisionReason).toContain('FULLY_REFUNDED');
    expect((await agent.nextNotice('approval')).approval.status).toBe('failed');
  });

  it('two supervisors deciding at once: one wins, the other gets VERSION_CONFLICT', async () => {
    const { client: agent } = await signIn('frontline');
    const { client: first } = await signIn('supervisor');
    const { client: second } = await signIn('admin');
    const outcome = await refund(agent, 'ord_race');
    const id = outcome.ok ? outcome.result.approvalId! : 0;
    const [a, b] = await Promise.all([
      first.request('approvals.decide', { id, decision: 'approve' }),
      second.request('approvals.decide', { id, decision: 'reject', reason: 'Not this one' }),
    ]);
    const outcomes = [a, b]
      .map((result) => (result.ok ? result.result.approval.status : result.error.code))
      .sort();
    expect(outcomes.filter((code) => code === 'VERSION_CONFLICT')).toHaveLength(1);
    expect(outcomes.some((code) => code === 'approved' || code === 'rejected')).toBe(true);
  });
});

describe('team.list', () => {
  it('shows agents online with their state and the call, masked, and tells supervisors', async () => {
    const { client: supervisor } = await signIn('supervisor');
    const { client: agent, login } = await signIn('logistics');
    await supervisor.nextNotice('team');
    const since = new Date().toISOString();
    await agent.call('agent.setState', {
      state: 'on_call',
      reason: null,
      since,
      call: { remote: '+8613912345678', since },
    });
    await supervisor.nextNotice('team');
    const { members } = await supervisor.call('team.list');
    const member = members.find((entry) => entry.userId === login.user.id)!;
    expect(member).toEqual({
      userId: login.user.id,
      displayName: login.user.displayName,
      role: 'logistics',
      online: true,
      state: { state: 'on_call', reason: null, since },
      call: { remote: expect.stringMatching(/^\+\*{9}5678$/), since },
    });
  });
});

describe('role views', () => {
  it('an admin saves the logistics view: connected logistics desks get it, the next login carries it', async () => {
    const { client: admin } = await signIn('admin');
    const { client: logistics } = await signIn('logistics');
    const current = await admin.call('views.get', { role: 'logistics' });
    expect(current.version).toBe(0);
    const layout = {
      ...current.layout,
      panels: [...current.layout.panels]
        .reverse()
        .map((panel) => ({ ...panel, visible: panel.id !== 'promotions' })),
      defaultPanel: 'history' as const,
    };
    // Refused: logistics may not refund, whatever a view says.
    const bad = await admin.callFailing('views.save', {
      role: 'logistics',
      expectedVersion: 0,
      layout: { ...layout, actions: [...layout.actions, 'refund'] },
    });
    expect(bad.code).toBe('BAD_REQUEST');
    expect(bad.message).toContain('logistics role may not take refund');

    const saved = await admin.call('views.save', { role: 'logistics', expectedVersion: 0, layout });
    expect(saved).toEqual(expect.objectContaining({ role: 'logistics', version: 1, layout }));
    expect((await logistics.nextNotice('view')).view).toEqual(saved);
    expect(
      (await admin.callFailing('views.save', { role: 'logistics', expectedVersion: 0, layout })).code,
    ).toBe('VERSION_CONFLICT');
    const { client: next, login } = await signIn('logistics');
    expect(login.view).toEqual(saved);
    expect((await next.call('auth.refresh', { refreshToken: login.refreshToken })).view).toEqual(saved);
    expect(await logistics.call('views.get')).toEqual(saved);
    expect((await admin.call('views.list')).views.find((view) => view.role === 'logistics')).toEqual(saved);
    expect(JSON.parse(auditRows('view.save').at(-1)!.details_json)).toEqual({
      version: 1,
      changed: ['panels', 'defaultPanel'],
    });
  });

  it("a limit lowered and an action left out of a view are enforced for the view's role", async () => {
    const { client: admin } = await signIn('admin');
    const current = await admin.call('views.get', { role: 'after_sales' });
    const layout = {
      ...current.layout,
      actions: current.layout.actions.filter((action) => action !== 'note'),
      limits: { refundCeiling: { CNY: 1000 } },
    };
    await admin.call('views.save', { role: 'after_sales', expectedVersion: current.version, layout });

    const { client: agent } = await signIn('after_sales');
    const outcome = await refund(agent, 'ord_limit', 1500);
    expect(outcome.ok && outcome.result.outcome).toBe('pending_approval');
    const { order: target } = await agent.call('orders.get', { id: 'ord_limit' });
    const note = await agent.request('orders.action', {
      orderId: 'ord_limit',
      expectedVersion: target.version,
      idempotencyKey: newKey(),
      action: { type: 'note', text: 'Called back' },
    });
    expect(note.ok ? null : note.error).toEqual(
      expect.objectContaining({
        code: 'FORBIDDEN',
        details: { reasons: [{ code: 'ACTION_NOT_IN_VIEW', params: { role: 'after_sales' } }] },
      }),
    );
    const { actions } = await agent.call('orders.allowedActions', { orderId: 'ord_limit' });
    expect(actions.find((action) => action.action === 'note')).toEqual(
      expect.objectContaining({
        allowed: false,
        reasons: [{ code: 'ACTION_NOT_IN_VIEW', params: { role: 'after_sales' } }],
      }),
    );
  });
});

describe('a role changed while streaming', () => {
  it('ends the stream and the session: an error frame, then the close; no frame for the old role after it', async () => {
    const { client } = await signIn('after_sales');
    const { headSeq } = await client.call('events.head');
    await client.call('events.subscribe', { fromSeq: headSeq });
    // An operator demotes the user behind the gateway's back (another process writes the file).
    const setRole = (role: Role) => {
      const db = new Database(dbPath);
      try {
        db.prepare('UPDATE users SET role = ? WHERE username = ?').run(role, usernameOf('after_sales'));
      } finally {
        db.close();
      }
    };
    setRole('logistics');
    try {
      expect(await client.next()).toMatchObject({
        type: 'error',
        error: { code: 'SESSION_ENDED', message: expect.stringMatching(/role changed/) },
      });
      expect((await client.closed).code).toBe(4401);
      await gateway.changes.update('ord_fields', null, (current) => current, { source: 'system' });
      expect(client.idle).toBe(true);
    } finally {
      setRole('after_sales');
    }
  });
});
