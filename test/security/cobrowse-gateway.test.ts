import { afterEach, describe, expect, it } from 'vitest';
import { runUsersCommand } from '../../src/server/auth/users-command';
import {
  COBROWSE_CODE_TTL_MS,
  COBROWSE_PROTOCOL_VERSION,
  COBROWSE_WS_PATH,
} from '../../src/shared/cobrowse-protocol';
import { DEFAULT_ROLE_LAYOUTS } from '../../src/shared/role-views';
import { FakeCustomer, SHOP_ORIGIN, SHOP_PAGE } from '../unit/server/support/cobrowse-customer';
import { startCobrowseGateway, type CobrowseGateway } from '../unit/server/support/cobrowse-gateway';
import { mustBeRefused } from '../unit/server/support/websocket-upgrade';

/**
 * Co-browse attacks on the gateway: an agent guessing codes to get into someone's session, a code
 * used twice or late, an agent steering a page the customer did not hand over, a page on another
 * site opening sessions, a customer reaching into another customer's room, a role that must not
 * co-browse joining, and a revoked agent keeping a room. Each failed against the placeholder
 * methods (they refused everything, or the endpoint did not exist).
 */

let target: CobrowseGateway | null = null;
const customers: FakeCustomer[] = [];

afterEach(async () => {
  await Promise.all(customers.splice(0).map((customer) => customer.close()));
  await target?.close();
  target = null;
});

async function customerWithCode(gateway: CobrowseGateway, localAddress?: string) {
  const { customer, code } = await FakeCustomer.withCode(
    gateway.gateway.url,
    localAddress ? { localAddress } : {},
  );
  customers.push(customer);
  return { customer, code };
}

/** A code that is not `code` (nor any other live one, with a single session waiting). */
function otherCode(code: string, offset: number): string {
  return String((Number(code) + offset) % 1_000_000).padStart(6, '0');
}

describe('co-browse codes cannot be guessed', () => {
  it('an agent trying codes is stopped after 10 wrong ones a minute, the real code included, and audited once', async () => {
    target = await startCobrowseGateway();
    const { customer, code } = await customerWithCode(target);
    const agent = await target.signIn('frontline');
    for (let offset = 1; offset <= 10; offset += 1) {
      const error = await agent.callFailing('cobrowse.join', { code: otherCode(code.code, offset) });
      expect(error.code).toBe('NOT_FOUND');
    }
    const refusals = [];
    for (let offset = 11; offset <= 15; offset += 1) {
      refusals.push(await agent.callFailing('cobrowse.join', { code: otherCode(code.code, offset) }));
    }
    // Even the right code answers RATE_LIMITED: a limited guesser learns nothing.
    refusals.push(await agent.callFailing('cobrowse.join', { code: code.code }));
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } });
    }
    expect(customer.idle).toBe(true);
    const audited = target.audit('cobrowse.code_limit');
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor: audited[0]!.target, details: { limit: 'minute' } });
    expect(JSON.stringify(target.audit())).not.toContain(code.code);
    // The limit is the agent's, not the session's: another agent still joins with the code.
    const other = await target.signIn('after_sales');
    await other.call('cobrowse.join', { code: code.code });
    await customer.nextOf('agent-joined');
  });

  it('a used code joins nothing: the second agent gets NOT_FOUND and the first keeps the session', async () => {
    target = await startCobrowseGateway();
    const { customer, code } = await customerWithCode(target);
    const first = await target.signIn('frontline');
    await first.call('cobrowse.join', { code: code.code });
    await customer.nextOf('agent-joined');
    const second = await target.signIn('supervisor');
    expect(await second.callFailing('cobrowse.join', { code: code.code })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(customer.idle).toBe(true);
  });

  it('an expired code joins nothing', async () => {
    const clock = { now: Date.now() };
    target = await startCobrowseGateway({ cobrowse: { now: () => clock.now } });
    const { customer, code } = await customerWithCode(target);
    clock.now += COBROWSE_CODE_TTL_MS;
    const agent = await target.signIn('frontline');
    expect(await agent.callFailing('cobrowse.join', { code: code.code })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(customer.idle).toBe(true);
  });
});

describe('the gateway enforces the customer’s consent', () => {
  it('scroll and control without consent are refused and never reach the page', async () => {
    target = await startCobrowseGateway();
    const { customer, code } = await customerWithCode(target);
    const agent = await target.signIn('frontline');
    const { sessionId } = await agent.call('cobrowse.join', { code: code.code });
    await customer.nextOf('agent-joined');
    customer.send({ type: 'consent', level: 'view', granted: true });
    await agent.nextCobrowse();
    await agent.nextCobrowse();

    for (const message of [
      { type: 'scroll', x: 0, y: 4000 },
      { type: 'click', nodeId: 12 },
      { type: 'input', nodeId: 12, value: 'attacker@evil.example' },
    ] as const) {
      const refused = await agent.callFailing('cobrowse.send', { sessionId, message });
      expect(refused).toMatchObject({
        code: 'FORBIDDEN',
        details: { reasons: [{ code: 'COBROWSE_CONSENT_NEEDED' }] },
      });
    }
    // Asking for the consent is fine; taking it is not.
    await agent.call('cobrowse.send', { sessionId, message: { type: 'consent-request', level: 'control' } });
    expect(await customer.nextOf('agent')).toMatchObject({ message: { type: 'consent-request' } });
    expect(customer.idle).toBe(true);
    const toCustomer = target.relayed
      .filter((frame) => frame.direction === 'to_customer')
      .map((frame) => frame.text);
    expect(toCustomer.filter((text) => /"type":"(scroll|click|input)"/.test(text))).toEqual([]);
  });
});

describe('the customer endpoint', () => {
  it('refuses a page on another site (or without an Origin) before the handshake', async () => {
    target = await startCobrowseGateway();
    const url = `${target.gateway.url}${COBROWSE_WS_PATH}`;
    for (const origin of ['https://shop.example.evil.test', 'http://shop.example', undefined]) {
      const refusal = await mustBeRefused(url, origin === undefined ? {} : { origin });
      expect(refusal.status).toBe(403);
    }
    // The shop itself is let in.
    const { customer } = await FakeCustomer.withCode(target.gateway.url, { origin: SHOP_ORIGIN });
    customers.push(customer);
  });

  it('a customer cannot reach another customer’s room, by resume or otherwise', async () => {
    target = await startCobrowseGateway();
    const alice = await customerWithCode(target);
    const bob = await customerWithCode(target, '127.0.0.2');
    const aliceAgent = await target.signIn('frontline');
    const bobAgent = await target.signIn('after_sales');
    const aliceSession = (await aliceAgent.call('cobrowse.join', { code: alice.code.code })).sessionId;
    const bobSession = (await bobAgent.call('cobrowse.join', { code: bob.code.code })).sessionId;
    await alice.customer.nextOf('agent-joined');
    await bob.customer.nextOf('agent-joined');

    // Bob's session with Alice's token (and with none that fits) is no session at all.
    const intruder = await FakeCustomer.connect(target.gateway.url);
    customers.push(intruder);
    // Bob's token with its last character changed (a near miss), Alice's real one, and junk.
    const nearMiss = bob.code.resumeToken.slice(0, -1) + (bob.code.resumeToken.endsWith('A') ? 'B' : 'A');
    for (const resumeToken of [alice.code.resumeToken, nearMiss, 'x']) {
      intruder.send({
        type: 'resume',
        protocol: COBROWSE_PROTOCOL_VERSION,
        sessionId: bob.code.sessionId,
        resumeToken,
        page: SHOP_PAGE,
      });
      expect(await intruder.nextOf('error')).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    expect((await intruder.closed).code).toBe(4429);

    // Alice's frames reach Alice's agent only.
    alice.customer.send({ type: 'consent', level: 'view', granted: true });
    alice.customer.send({ type: 'events', seq: 1, events: [{ marker: 'alice-only' }] });
    for (let index = 0; index < 3; index += 1)
      expect((await aliceAgent.nextCobrowse()).sessionId).toBe(aliceSession);
    expect(bobAgent.pendingCobrowse).toEqual([]);
    const bobFrames = target.relayed.filter(
      (frame) => frame.sessionId === bobSession && frame.direction === 'to_agent',
    );
    expect(bobFrames.some((frame) => frame.text.includes('alice-only'))).toBe(false);
    // And Bob's agent cannot steer Alice's page.
    expect(
      await bobAgent.callFailing('cobrowse.send', {
        sessionId: aliceSession,
        message: { type: 'pointer', x: 1, y: 1 },
      }),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('who may co-browse', () => {
  it('a role without co-browse (admin) cannot join, and the code stays usable', async () => {
    target = await startCobrowseGateway();
    const { customer, code } = await customerWithCode(target);
    const admin = await target.signIn('admin');
    expect(await admin.callFailing('cobrowse.join', { code: code.code })).toMatchObject({
      code: 'FORBIDDEN',
      details: { reasons: [{ code: 'COBROWSE_NOT_ALLOWED', params: { role: 'admin' } }] },
    });
    expect(customer.idle).toBe(true);
    const frontline = await target.signIn('frontline');
    await frontline.call('cobrowse.join', { code: code.code });
  });

  it('a role whose view switches co-browse off cannot join', async () => {
    target = await startCobrowseGateway();
    const admin = await target.signIn('admin');
    const layout = { ...DEFAULT_ROLE_LAYOUTS.logistics, assist: { cobrowse: false } };
    await admin.call('views.save', { role: 'logistics', expectedVersion: 0, layout });
    const { code } = await customerWithCode(target);
    const logistics = await target.signIn('logistics');
    expect(await logistics.callFailing('cobrowse.join', { code: code.code })).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('a revoked agent keeps no room: an operator’s sign-out ends the session for the customer', async () => {
    target = await startCobrowseGateway({ accountCheckIntervalMs: 50 });
    const { customer, code } = await customerWithCode(target);
    const agent = await target.signIn('frontline');
    await agent.call('cobrowse.join', { code: code.code });
    await customer.nextOf('agent-joined');
    customer.send({ type: 'consent', level: 'view', granted: true });
    await agent.nextCobrowse();
    await agent.nextCobrowse();

    const io = { out: () => undefined, err: () => undefined, readPassword: async () => '' };
    expect(await runUsersCommand(['sign-out', 'frontline', '--db', target.dbPath], io)).toBe(0);
    expect(await customer.nextOf('ended')).toEqual({
      type: 'ended',
      by: 'gateway',
      reason: 'agent_signed_out',
    });
    expect((await customer.closed).code).toBe(1000);
    // Nothing of the room reached the revoked connection after its session ended.
    expect(agent.pendingCobrowse).toEqual([]);
  });
});
