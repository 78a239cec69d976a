import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrderActions } from '../../../src/server/actions/order-actions';
import { DemoPlatformActions, type PlatformActions } from '../../../src/server/actions/platform-actions';
import { SqliteActionRecords } from '../../../src/server/actions/sqlite-action-records';
import { SqliteAuditLog } from '../../../src/server/audit/sqlite-audit-log';
import { verifyAudit } from '../../../src/server/audit/verify-audit';
import type { AgentUser } from '../../../src/shared/domain';
import { DeskError } from '../../../src/shared/errors';
import { anOrder } from '../shared/rules/order-builder';
import { freshKeyRing } from './support/gateway-keys';
import { openOrderChangesFixture, type OrderChangesFixture } from './support/order-changes-fixture';

const agent: AgentUser = { id: 'usr_front', username: 'frontline', displayName: 'Lin', role: 'frontline' };
let fixture: OrderChangesFixture;
let records: SqliteActionRecords;
const keys = freshKeyRing();

beforeEach(async () => {
  fixture = openOrderChangesFixture({ nowMs: Date.now() });
  records = new SqliteActionRecords(fixture.db, new SqliteAuditLog(fixture.db, keys));
  await fixture.orders.insertMany([
    anOrder('CNY', new Date()).withId('ord_1').item('EL-PB-20K', 15900, 2).build(),
  ]);
});

afterEach(() => fixture.dispose());

/** One gateway process's actions service; a second instance on the same file is a restart. */
function service(
  platform: PlatformActions = new DemoPlatformActions(),
  actionRecords = records,
): OrderActions {
  return new OrderActions({
    orders: fixture.orders,
    changes: fixture.changes,
    records: actionRecords,
    platform,
  });
}

const refund = (idempotencyKey: string, expectedVersion = 3) => ({
  orderId: 'ord_1',
  expectedVersion,
  idempotencyKey,
  action: {
    type: 'refund' as const,
    items: [],
    includeShipping: false,
    amount: { amount: 2000, currency: 'CNY' },
    reason: 'late',
  },
});

async function rejection(promise: Promise<unknown>): Promise<DeskError> {
  const err = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(err instanceof DeskError)) throw new Error(`expected a DeskError, got ${String(err)}`);
  return err;
}

describe('OrderActions', () => {
  it('a platform outage applies nothing and frees the key: the retry applies once', async () => {
    let calls = 0;
    const flaky: PlatformActions = {
      perform: async (order, action) => {
        calls += 1;
        if (calls === 1) throw new DeskError('GATEWAY_UNAVAILABLE', 'shop API timed out');
        return new DemoPlatformActions().perform(order, action);
      },
      currentPrices: async () => ({}),
    };
    const actions = service(flaky);
    expect((await rejection(actions.act(refund('key-outage-1'), agent))).code).toBe('GATEWAY_UNAVAILABLE');
    expect((await fixture.orders.get('ord_1'))!.version).toBe(3);

    const result = await actions.act(refund('key-outage-1'), agent);
    expect(result.outcome).toBe('applied');
    expect(result.order.version).toBe(4);
    expect(calls).toBe(2);
  });

  it('after a crash before anything applied, a restarted gateway runs the same key', async () => {
    // The first process hangs in the platform call and "dies" there.
    const hanging: PlatformActions = {
      perform: () => new Promise(() => {}),
      currentPrices: async () => ({}),
    };
    void service(hanging).act(refund('key-crash-1'), agent);
    await new Promise((resolve) => setImmediate(resolve));
    expect(
      fixture.db.prepare("SELECT state FROM action_requests WHERE idempotency_key = 'key-crash-1'").get(),
    ).toEqual({
      state: 'pending',
    });

    const result = await service().act(refund('key-crash-1'), agent);
    expect(result).toMatchObject({ outcome: 'applied', order: { version: 4 } });
  });

  it('commits the change, its event, its audit row and the outcome together: a failed audit write undoes all', async () => {
    const failingAudit = new SqliteAuditLog(fixture.db, keys);
    failingAudit.append = () => {
      throw new Error('disk full');
    };
    const failingRecords = new SqliteActionRecords(fixture.db, failingAudit);
    await expect(
      service(new DemoPlatformActions(), failingRecords).act(refund('key-atomic'), agent),
    ).rejects.toThrow('disk full');

    expect((await fixture.orders.get('ord_1'))!.version).toBe(3);
    expect(await fixture.log.headSeq()).toBe(0);
    expect(fixture.db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
    // Not a final outcome: the key is free again and the retry applies once.
    expect(await records.find({ userId: agent.id, idempotencyKey: 'key-atomic' })).toBeNull();
    const result = await service().act(refund('key-atomic'), agent);
    expect(result).toMatchObject({ outcome: 'applied', order: { version: 4 }, eventSeq: 1 });
    expect(verifyAudit(fixture.db, keys)).toMatchObject({ ok: true, rows: 1 });
    const stored = await records.find({ userId: agent.id, idempotencyKey: 'key-atomic' });
    expect(stored?.outcome).toEqual({ ok: true, result });
  });

  it('when a twin attempt stored its outcome first, this change rolls back and the twin outcome is returned', async () => {
    const key = { userId: agent.id, idempotencyKey: 'key-twin-process' };
    const twinOutcome = {
      ok: false as const,
      error: { code: 'NOT_ELIGIBLE' as const, message: 'twin said no' },
    };
    // The twin (another process on the same file) finishes while this attempt waits for the platform.
    const slowPlatform: PlatformActions = {
      perform: async (order, action) => {
        await records.finish(key, twinOutcome, { audit: () => [] }, new Date().toISOString());
        return new DemoPlatformActions().perform(order, action);
      },
      currentPrices: async () => ({}),
    };
    const error = await rejection(service(slowPlatform).act(refund('key-twin-process'), agent));

    expect(error.toInfo()).toEqual(twinOutcome.error);
    expect((await fixture.orders.get('ord_1'))!.version).toBe(3);
    expect(await fixture.log.headSeq()).toBe(0);
    expect(fixture.db.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual({ n: 0 });
  });

  it('a refusal is the first result too: the retry gets the same NOT_ELIGIBLE', async () => {
    const tooMuch = {
      ...refund('key-refused'),
      action: { ...refund('').action, amount: { amount: 999_999, currency: 'CNY' } },
    };
    const first = await rejection(service().act(tooMuch, agent));
    const again = await rejection(service().act(tooMuch, agent));
    expect(first.code).toBe('NOT_ELIGIBLE');
    expect(again.toInfo()).toEqual(first.toInfo());
  });

  it('a concurrent retry with a different body is BAD_REQUEST, the first still applies', async () => {
    const actions = service();
    const first = actions.act(refund('key-twins'), agent);
    const twin = actions.act(
      { ...refund('key-twins'), action: { ...refund('').action, reason: 'other' } },
      agent,
    );
    expect((await rejection(twin)).code).toBe('BAD_REQUEST');
    expect((await first).outcome).toBe('applied');
  });

  it('the audit chain holds the refund with its amount', async () => {
    await service().act(refund('key-audit'), agent);
    const row = fixture.db.prepare('SELECT actor, action, target, details_json FROM audit_log').get() as {
      details_json: string;
    };
    expect(row).toMatchObject({ actor: 'usr_front', action: 'order.refund', target: 'ord_1' });
    expect(JSON.parse(row.details_json)).toMatchObject({
      amount: { amount: 2000, currency: 'CNY' },
      version: 4,
    });
    expect(verifyAudit(fixture.db, keys)).toMatchObject({ ok: true, rows: 1 });
  });
});
