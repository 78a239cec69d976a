import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  COBROWSE_CHUNK_BYTES,
  COBROWSE_PROTOCOL_VERSION,
  COBROWSE_WS_PATH,
  type CustomerMessage,
} from '../../../src/shared/cobrowse-protocol';
import type { Role } from '../../../src/shared/domain';
import { type AgentClient } from './support/agent-client';
import { FakeCustomer, SHOP_ORIGIN, SHOP_PAGE } from './support/cobrowse-customer';
import { startCobrowseGateway, type CobrowseGateway } from './support/cobrowse-gateway';
import { getText, metricValue } from './support/metrics-text';
import { makeTempDir } from './support/temp-dir';
import { mustBeRefused, mustOpen } from './support/websocket-upgrade';

let target: CobrowseGateway | null = null;
const customers: FakeCustomer[] = [];

afterEach(async () => {
  await Promise.all(customers.splice(0).map((customer) => customer.close()));
  await target?.close();
  target = null;
});

async function start(options: Parameters<typeof startCobrowseGateway>[0] = {}): Promise<CobrowseGateway> {
  target = await startCobrowseGateway(options);
  return target;
}

async function customerWithCode(gateway: CobrowseGateway) {
  const { customer, code } = await FakeCustomer.withCode(gateway.gateway.url);
  customers.push(customer);
  return { customer, code };
}

/** A customer with a code, an agent of `role` joined with it (the customer told), nothing consented yet. */
async function joined(
  gateway: CobrowseGateway,
  role: Role = 'frontline',
  links: { interactionId?: string; orderId?: string } = {},
) {
  const { customer, code } = await customerWithCode(gateway);
  const agent = await gateway.signIn(role);
  const join = await agent.call('cobrowse.join', { code: code.code, ...links });
  const agentJoined = await customer.nextOf('agent-joined');
  return { customer, code, agent, join, agentJoined, sessionId: join.sessionId };
}

/** The next co-browse message the agent gets (for its session). */
async function nextMessage(agent: AgentClient, sessionId: string): Promise<CustomerMessage> {
  const frame = await agent.nextCobrowse();
  expect(frame.sessionId).toBe(sessionId);
  return frame.message;
}

/** Grants consent levels in order, reading the agent's consent and state messages for each. */
async function grant(
  customer: FakeCustomer,
  agent: AgentClient,
  sessionId: string,
  levels: ('view' | 'scroll' | 'control')[],
) {
  for (const level of levels) {
    customer.send({ type: 'consent', level, granted: true });
    expect(await nextMessage(agent, sessionId)).toEqual({ type: 'consent', level, granted: true });
    expect(await nextMessage(agent, sessionId)).toMatchObject({ type: 'state', state: 'live' });
  }
}

describe('co-browse: code, join, consent and relay', () => {
  it('relays the snippet’s events to the joined agent in order, chunks included, after view consent', async () => {
    const gateway = await start();
    const { customer, code, agent, join, agentJoined, sessionId } = await joined(gateway);
    expect(code.code).toMatch(/^\d{6}$/);
    expect(Date.parse(code.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(join).toEqual({
      sessionId: code.sessionId,
      state: 'waiting_consent',
      consent: [],
      page: SHOP_PAGE,
    });
    expect(agentJoined.agent.displayName).toBe('林小雨 Lin Xiaoyu');

    customer.send({ type: 'consent', level: 'view', granted: true });
    expect(await nextMessage(agent, sessionId)).toEqual({ type: 'consent', level: 'view', granted: true });
    expect(await nextMessage(agent, sessionId)).toEqual({
      type: 'state',
      state: 'live',
      consent: ['view'],
      page: SHOP_PAGE,
    });

    for (let seq = 1; seq <= 20; seq += 1) customer.send({ type: 'events', seq, events: [{ type: 3, seq }] });
    const big = JSON.stringify({ events: [{ type: 2, data: 'x'.repeat(COBROWSE_CHUNK_BYTES + 10) }] });
    const parts = [big.slice(0, COBROWSE_CHUNK_BYTES), big.slice(COBROWSE_CHUNK_BYTES)];
    parts.forEach((data, part) => customer.send({ type: 'chunk', seq: 21, part, parts: 2, data }));

    for (let seq = 1; seq <= 20; seq += 1) {
      expect(await nextMessage(agent, sessionId)).toEqual({
        type: 'events',
        seq,
        events: [{ type: 3, seq }],
      });
    }
    for (const [part, data] of parts.entries()) {
      expect(await nextMessage(agent, sessionId)).toEqual({ type: 'chunk', seq: 21, part, parts: 2, data });
    }
  });

  it('relays nothing before view consent, and nothing after it is taken back', async () => {
    const gateway = await start();
    const { customer, agent, sessionId } = await joined(gateway);
    customer.send({ type: 'events', seq: 1, events: [{ type: 2 }] });
    expect(await customer.nextOf('error')).toMatchObject({ error: { code: 'FORBIDDEN' } });

    await grant(customer, agent, sessionId, ['view']);
    customer.send({ type: 'consent', level: 'view', granted: false });
    expect(await nextMessage(agent, sessionId)).toEqual({ type: 'consent', level: 'view', granted: false });
    expect(await nextMessage(agent, sessionId)).toMatchObject({
      type: 'state',
      state: 'refused',
      consent: [],
    });
    customer.send({ type: 'events', seq: 2, events: [{ type: 3 }] });
    expect(await customer.nextOf('error')).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(agent.pendingCobrowse).toEqual([]);
  });

  it('forwards pointer, scroll and control only with the consent each needs', async () => {
    const gateway = await start();
    const { customer, agent, sessionId } = await joined(gateway);

    const refused = await agent.callFailing('cobrowse.send', {
      sessionId,
      message: { type: 'pointer', x: 1, y: 2 },
    });
    expect(refused).toMatchObject({
      code: 'FORBIDDEN',
      details: { reasons: [{ code: 'COBROWSE_CONSENT_NEEDED', params: { level: 'view' } }] },
    });

    await grant(customer, agent, sessionId, ['view']);
    await agent.call('cobrowse.send', { sessionId, message: { type: 'pointer', x: 10, y: 20 } });
    expect(await customer.nextOf('agent')).toEqual({
      type: 'agent',
      message: { type: 'pointer', x: 10, y: 20 },
    });

    const scroll = await agent.callFailing('cobrowse.send', {
      sessionId,
      message: { type: 'scroll', x: 0, y: 900 },
    });
    expect(scroll).toMatchObject({ details: { reasons: [{ params: { level: 'scroll' } }] } });
    const click = await agent.callFailing('cobrowse.send', {
      sessionId,
      message: { type: 'click', nodeId: 7 },
    });
    expect(click).toMatchObject({ details: { reasons: [{ params: { level: 'control' } }] } });

    await agent.call('cobrowse.send', { sessionId, message: { type: 'consent-request', level: 'scroll' } });
    expect(await customer.nextOf('agent')).toEqual({
      type: 'agent',
      message: { type: 'consent-request', level: 'scroll' },
    });
    await grant(customer, agent, sessionId, ['scroll']);
    await agent.call('cobrowse.send', { sessionId, message: { type: 'scroll', x: 0, y: 900 } });
    expect(await customer.nextOf('agent')).toEqual({
      type: 'agent',
      message: { type: 'scroll', x: 0, y: 900 },
    });

    await grant(customer, agent, sessionId, ['control']);
    await agent.call('cobrowse.send', { sessionId, message: { type: 'input', nodeId: 7, value: 'size M' } });
    expect(await customer.nextOf('agent')).toEqual({
      type: 'agent',
      message: { type: 'input', nodeId: 7, value: 'size M' },
    });

    // The customer's tab went hidden: control is back with the customer, clicks are refused again.
    customer.send({ type: 'control-released', reason: 'hidden' });
    expect(await nextMessage(agent, sessionId)).toEqual({ type: 'control-released', reason: 'hidden' });
    expect(await nextMessage(agent, sessionId)).toMatchObject({ type: 'state', consent: ['view', 'scroll'] });
    const after = await agent.callFailing('cobrowse.send', {
      sessionId,
      message: { type: 'click', nodeId: 7 },
    });
    expect(after).toMatchObject({ code: 'FORBIDDEN' });
    expect(customer.idle).toBe(true);
  });

  it('refuses a consent level whose lower level is missing', async () => {
    const gateway = await start();
    const { customer, agent } = await joined(gateway);
    customer.send({ type: 'consent', level: 'control', granted: true });
    expect(await customer.nextOf('error')).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(agent.pendingCobrowse).toEqual([]);
  });

  it('lets one agent in per session: a used code joins nothing', async () => {
    const gateway = await start();
    const { code } = await joined(gateway);
    const other = await gateway.signIn('after_sales');
    expect(await other.callFailing('cobrowse.join', { code: code.code })).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('answers another agent’s send or leave for a session as if it did not exist', async () => {
    const gateway = await start();
    const { sessionId } = await joined(gateway);
    const other = await gateway.signIn('supervisor');
    expect(
      await other.callFailing('cobrowse.send', { sessionId, message: { type: 'resync' } }),
    ).toMatchObject({ code: 'NOT_FOUND' });
    expect(await other.callFailing('cobrowse.leave', { sessionId })).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a join naming an order that does not exist, without using up the code', async () => {
    const gateway = await start();
    const { customer, code } = await customerWithCode(gateway);
    const agent = await gateway.signIn('frontline');
    expect(await agent.callFailing('cobrowse.join', { code: code.code, orderId: 'ord_nope' })).toMatchObject({
      code: 'NOT_FOUND',
    });
    await agent.call('cobrowse.join', { code: code.code });
    await customer.nextOf('agent-joined');
  });

  it('sends the masking policy of the joining agent’s role, payment always hidden, with the configured rules', async () => {
    const rules = [{ urlPattern: '/checkout*', mask: ['#gift-note'], block: ['.card-box'] }];
    const gateway = await start({ cobrowse: { rules } });
    const frontline = await joined(gateway, 'frontline');
    expect(frontline.agentJoined.masking).toEqual({
      classes: {
        public: 'full',
        contact: 'masked',
        address: 'masked',
        payment: 'hidden',
        internal: 'full',
        risk: 'full',
      },
      rules,
    });
    const logistics = await joined(gateway, 'logistics');
    expect(logistics.agentJoined.masking.classes).toMatchObject({ address: 'full', payment: 'hidden' });
    const afterSales = await joined(gateway, 'after_sales');
    expect(afterSales.agentJoined.masking.classes.payment).toBe('hidden');
  });
});

describe('co-browse: the customer reloads', () => {
  it('goes reconnecting, then live again with the consents kept; the snippet gets resumed', async () => {
    const gateway = await start();
    const { customer, code, agent, sessionId } = await joined(gateway);
    await grant(customer, agent, sessionId, ['view', 'scroll']);

    await customer.close();
    expect(await nextMessage(agent, sessionId)).toMatchObject({ type: 'state', state: 'reconnecting' });
    const scroll = await agent.callFailing('cobrowse.send', {
      sessionId,
      message: { type: 'scroll', x: 0, y: 1 },
    });
    expect(scroll).toMatchObject({ details: { reasons: [{ code: 'COBROWSE_CUSTOMER_RECONNECTING' }] } });

    const page = { url: 'https://shop.example/after-sales', title: 'After-sales' };
    const { customer: reloaded, resumed } = await FakeCustomer.resumed(gateway.gateway.url, code, page);
    customers.push(reloaded);
    expect(resumed).toEqual({
      type: 'resumed',
      agent: { displayName: '林小雨 Lin Xiaoyu' },
      consent: ['view', 'scroll'],
      masking: expect.objectContaining({ classes: expect.objectContaining({ payment: 'hidden' }) }),
    });
    expect(await nextMessage(agent, sessionId)).toEqual({
      type: 'state',
      state: 'live',
      consent: ['view', 'scroll'],
      page,
    });
    reloaded.send({ type: 'events', seq: 1, events: [{ type: 2 }] });
    expect(await nextMessage(agent, sessionId)).toEqual({ type: 'events', seq: 1, events: [{ type: 2 }] });
    await agent.call('cobrowse.send', { sessionId, message: { type: 'scroll', x: 0, y: 5 } });
    expect(await reloaded.nextOf('agent')).toEqual({
      type: 'agent',
      message: { type: 'scroll', x: 0, y: 5 },
    });
  });

  it('keeps the code valid across a reload before any agent joined', async () => {
    const gateway = await start();
    const { customer, code } = await customerWithCode(gateway);
    await customer.close();
    const { customer: reloaded, resumed } = await FakeCustomer.resumed(gateway.gateway.url, code);
    customers.push(reloaded);
    expect(resumed).toEqual({ type: 'resumed', agent: null, consent: [], masking: null });
    const agent = await gateway.signIn('frontline');
    await agent.call('cobrowse.join', { code: code.code });
    expect(await reloaded.nextOf('agent-joined')).toMatchObject({
      agent: { displayName: '林小雨 Lin Xiaoyu' },
    });
  });

  it('a second page resuming the session takes it over; the first is closed', async () => {
    const gateway = await start();
    const { customer, code } = await customerWithCode(gateway);
    const { customer: second } = await FakeCustomer.resumed(gateway.gateway.url, code);
    customers.push(second);
    expect(await customer.nextOf('error')).toMatchObject({ error: { code: 'SESSION_ENDED' } });
    expect((await customer.closed).code).toBe(4409);
  });

  it('ends the session when the customer stays away longer than the grace period', async () => {
    const gateway = await start({ cobrowse: { roomLimits: { resumeGraceMs: 100 } } });
    const { customer, code, agent, sessionId } = await joined(gateway);
    await customer.close();
    expect(await nextMessage(agent, sessionId)).toMatchObject({ type: 'state', state: 'reconnecting' });
    expect(await nextMessage(agent, sessionId)).toEqual({
      type: 'ended',
      by: 'gateway',
      reason: 'customer_gone',
    });
    expect(await nextMessage(agent, sessionId)).toMatchObject({ type: 'state', state: 'ended' });
    const late = await FakeCustomer.connect(gateway.gateway.url);
    customers.push(late);
    const { sessionId: oldSession, resumeToken } = code;
    late.send({
      type: 'resume',
      protocol: COBROWSE_PROTOCOL_VERSION,
      sessionId: oldSession,
      resumeToken,
      page: SHOP_PAGE,
    });
    expect(await late.nextOf('error')).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});

describe('co-browse: the end', () => {
  it('the customer’s end ends it for the agent', async () => {
    const gateway = await start();
    const { customer, agent, sessionId } = await joined(gateway);
    customer.send({ type: 'end' });
    expect(await customer.nextOf('ended')).toEqual({ type: 'ended', by: 'customer', reason: 'customer' });
    expect((await customer.closed).code).toBe(1000);
    expect(await nextMessage(agent, sessionId)).toEqual({
      type: 'ended',
      by: 'customer',
      reason: 'customer',
    });
    expect(await nextMessage(agent, sessionId)).toEqual({
      type: 'state',
      state: 'ended',
      consent: [],
      page: SHOP_PAGE,
    });
    expect(
      await agent.callFailing('cobrowse.send', { sessionId, message: { type: 'resync' } }),
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('the agent’s leave ends it for the customer', async () => {
    const gateway = await start();
    const { customer, agent, sessionId } = await joined(gateway);
    await agent.call('cobrowse.leave', { sessionId });
    expect(await customer.nextOf('ended')).toEqual({ type: 'ended', by: 'agent', reason: 'agent_left' });
    expect((await customer.closed).code).toBe(1000);
  });

  it('the agent’s sign-out ends the room', async () => {
    const gateway = await start();
    const { customer, agent } = await joined(gateway);
    await agent.call('auth.logout');
    expect(await customer.nextOf('ended')).toEqual({
      type: 'ended',
      by: 'gateway',
      reason: 'agent_signed_out',
    });
    // Nothing of the room reaches the signed-out connection.
    expect(agent.pendingCobrowse).toEqual([]);
  });

  it('the agent’s connection closing ends the room', async () => {
    const gateway = await start();
    const { customer, agent } = await joined(gateway);
    await agent.close();
    expect(await customer.nextOf('ended')).toEqual({
      type: 'ended',
      by: 'gateway',
      reason: 'agent_disconnected',
    });
  });

  it('writes start, consents, control released and end to the audit log, never the code', async () => {
    const gateway = await start();
    const interactionId = 'call-7f3a@pbx.example';
    const { customer, code, agent, sessionId } = await joined(gateway, 'after_sales', {
      interactionId,
      orderId: gateway.orderId,
    });
    await grant(customer, agent, sessionId, ['view', 'scroll', 'control']);
    await agent.call('cobrowse.send', { sessionId, message: { type: 'release-control' } });
    expect(await customer.nextOf('agent')).toEqual({ type: 'agent', message: { type: 'release-control' } });
    customer.send({ type: 'end' });
    await customer.closed;
    await expect.poll(() => gateway.audit('cobrowse.end').length).toBe(1);

    const rows = gateway.audit().filter((row) => row.action.startsWith('cobrowse.'));
    const target = `cobrowse:${sessionId}`;
    expect(rows.map((row) => [row.action, row.actor, row.target])).toEqual([
      ['cobrowse.start', expect.any(String), target],
      ['cobrowse.consent', 'customer', target],
      ['cobrowse.consent', 'customer', target],
      ['cobrowse.consent', 'customer', target],
      ['cobrowse.control_released', rows[0]!.actor, target],
      ['cobrowse.end', rows[0]!.actor, target],
    ]);
    expect(rows[0]!.details).toEqual({
      role: 'after_sales',
      sessionId,
      interactionId,
      orderId: gateway.orderId,
    });
    expect(rows.slice(1, 4).map((row) => row.details.level)).toEqual(['view', 'scroll', 'control']);
    expect(rows[4]!.details).toMatchObject({ reason: 'agent' });
    expect(rows[5]!.details).toMatchObject({
      by: 'customer',
      reason: 'customer',
      durationMs: expect.any(Number),
      interactionId,
      orderId: gateway.orderId,
      relayed: { toAgent: { frames: expect.any(Number), bytes: expect.any(Number) } },
    });
    expect(JSON.stringify(rows)).not.toContain(code.code);
    expect(JSON.stringify(rows)).not.toContain(code.resumeToken);
  });

  it('shows the session in the history of the order the join named', async () => {
    const gateway = await start();
    const interactionId = 'call-1b2c@pbx.example';
    const { agent, sessionId } = await joined(gateway, 'frontline', {
      interactionId,
      orderId: gateway.orderId,
    });
    const before = (await agent.call('orders.get', { id: gateway.orderId })).order;
    await agent.call('cobrowse.leave', { sessionId });
    await expect
      .poll(async () => (await agent.call('orders.get', { id: gateway.orderId })).order.version)
      .toBe(before.version + 1);
    const { order } = await agent.call('orders.get', { id: gateway.orderId });
    expect(order.timeline.at(-1)).toEqual({
      at: expect.any(String),
      status: order.status,
      actor: 'agent:frontline',
      note: expect.stringMatching(/^Co-browse session \(\d+ s, ended: agent_left\)$/),
      interactionId,
    });
  });
});

describe('co-browse: the customer endpoint', () => {
  it('refuses a page from another origin, or none, before the handshake', async () => {
    const gateway = await start();
    const url = `${gateway.gateway.url}${COBROWSE_WS_PATH}`;
    expect(await mustBeRefused(url, { origin: 'https://evil.example' })).toMatchObject({ status: 403 });
    expect(await mustBeRefused(url)).toMatchObject({ status: 403 });
    expect(await mustBeRefused(url, { origin: 'null' })).toMatchObject({ status: 403 });
    (await mustOpen(url, { origin: SHOP_ORIGIN })).terminate();
    expect(
      await metricValue(
        gateway.gateway.httpUrl,
        'agent_desk_cobrowse_connections_refused_total{reason="origin"}',
      ),
    ).toBe(3);
  });

  it('with the demo, lets the gateway’s own pages in (the demo shop)', async () => {
    const gateway = await start({ cobrowse: { origins: [] } });
    const { customer } = await FakeCustomer.withCode(gateway.gateway.url, {
      origin: gateway.gateway.httpUrl,
    });
    customers.push(customer);
  });

  it('counts customers in the edge’s per-address and total caps', async () => {
    const gateway = await start({ connectionCaps: { maxConnectionsPerAddress: 2, maxConnections: 3 } });
    const url = `${gateway.gateway.url}${COBROWSE_WS_PATH}`;
    const first = await mustOpen(url, { origin: SHOP_ORIGIN });
    const second = await mustOpen(url, { origin: SHOP_ORIGIN });
    expect(await mustBeRefused(url, { origin: SHOP_ORIGIN })).toMatchObject({ status: 503 });
    const other = await mustOpen(url, { origin: SHOP_ORIGIN, localAddress: '127.0.0.2' });
    expect(await mustBeRefused(url, { origin: SHOP_ORIGIN, localAddress: '127.0.0.3' })).toMatchObject({
      status: 503,
    });
    for (const socket of [first, second, other]) socket.terminate();
  });

  it('answers malformed frames with an error frame and keeps going', async () => {
    const gateway = await start();
    const customer = await FakeCustomer.connect(gateway.gateway.url);
    customers.push(customer);
    customer.sendRaw('{not json');
    expect(await customer.nextOf('error')).toMatchObject({
      error: { code: 'BAD_REQUEST', message: 'Malformed JSON' },
    });
    customer.sendRaw(JSON.stringify({ type: 'events', seq: 1, events: [] }));
    expect(await customer.nextOf('error')).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    customer.sendRaw(JSON.stringify({ type: 'shout', loud: true }));
    expect(await customer.nextOf('error')).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    customer.sendRaw(Buffer.from([1, 2, 3]));
    expect(await customer.nextOf('error')).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    customer.sendRaw(JSON.stringify({ type: 'hello', protocol: 1, page: SHOP_PAGE, language: 'fr' }));
    expect(await customer.nextOf('error')).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    const code = await customer.hello();
    expect(code.code).toMatch(/^\d{6}$/);
    customer.send({ type: 'hello', protocol: 1, page: SHOP_PAGE, language: 'en' });
    expect(await customer.nextOf('error')).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it('closes a socket with another protocol version, and one that says no hello in time', async () => {
    const gateway = await start({ cobrowse: { customerLimits: { helloTimeoutMs: 100 } } });
    const future = await FakeCustomer.connect(gateway.gateway.url);
    customers.push(future);
    future.sendRaw(JSON.stringify({ type: 'hello', protocol: 99, page: SHOP_PAGE, language: 'en' }));
    expect(await future.nextOf('error')).toMatchObject({ error: { code: 'PROTOCOL_VERSION' } });
    expect((await future.closed).code).toBe(1002);
    const silent = await FakeCustomer.connect(gateway.gateway.url);
    customers.push(silent);
    expect(await silent.nextOf('error')).toMatchObject({ error: { code: 'TIMEOUT' } });
    expect((await silent.closed).code).toBe(4408);
  });

  it('keeps answering customers open and cuts one that stopped answering pings (the session waits for it)', async () => {
    const gateway = await start({ cobrowse: { heartbeatIntervalMs: 50 } });
    const { customer: alive } = await customerWithCode(gateway);
    const { customer: gone, code } = await customerWithCode(gateway);
    const agent = await gateway.signIn('frontline');
    const { sessionId } = await agent.call('cobrowse.join', { code: code.code });
    gone.socket.pause();
    expect(await nextMessage(agent, sessionId)).toMatchObject({ type: 'state', state: 'reconnecting' });
    expect(alive.socket.readyState).toBe(alive.socket.OPEN);
    gone.socket.resume();
    await gone.closed;
  });

  it('closes a frame over MAX_COBROWSE_FRAME_BYTES with 1009', async () => {
    const gateway = await start();
    const customer = await FakeCustomer.connect(gateway.gateway.url);
    customers.push(customer);
    customer.sendRaw('x'.repeat(512 * 1024 + 1));
    expect((await customer.closed).code).toBe(1009);
  });

  it('drops frames over the rate, says so once, and asks for a full snapshot when events flow again', async () => {
    // A token every 2 s: the burst of 4 is what the first frames get.
    const gateway = await start({ cobrowse: { customerLimits: { framesPerSecond: 0.5, frameBurst: 4 } } });
    const { customer, agent, sessionId } = await joined(gateway);
    await grant(customer, agent, sessionId, ['view']);
    for (let seq = 1; seq <= 6; seq += 1) customer.send({ type: 'events', seq, events: [] });
    expect(await customer.nextOf('error')).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(customer.idle).toBe(true);
    const dropped = await metricValue(
      gateway.gateway.httpUrl,
      'agent_desk_cobrowse_events_dropped_total{reason="rate"}',
    );
    expect(dropped).toBeGreaterThanOrEqual(3);

    await new Promise((resolve) => setTimeout(resolve, 2_100));
    customer.send({ type: 'events', seq: 7, events: [] });
    expect(await customer.nextOf('agent')).toEqual({ type: 'agent', message: { type: 'resync' } });
    const seqs: number[] = [];
    for (;;) {
      const message = await nextMessage(agent, sessionId);
      if (message.type === 'events') seqs.push(message.seq);
      if (seqs.at(-1) === 7) break;
    }
    expect(seqs.length).toBe(6 - dropped! + 1);
  });

  it('closes a socket that keeps flooding past the rate', async () => {
    const gateway = await start({
      cobrowse: { customerLimits: { framesPerSecond: 1, frameBurst: 2, maxDroppedInRow: 5 } },
    });
    const { customer } = await customerWithCode(gateway);
    for (let index = 0; index < 10; index += 1) customer.sendRaw('{}');
    expect((await customer.closed).code).toBe(1008);
  });

  it('limits the sessions waiting for a join per client address', async () => {
    const gateway = await start({ cobrowse: { codeLimits: { waitingPerAddress: 2 } } });
    await customerWithCode(gateway);
    await customerWithCode(gateway);
    const third = await FakeCustomer.connect(gateway.gateway.url);
    customers.push(third);
    third.send({ type: 'hello', protocol: 1, page: SHOP_PAGE, language: 'en' });
    expect(await third.nextOf('error')).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect((await third.closed).code).toBe(4429);
    const { customer: elsewhere } = await FakeCustomer.withCode(gateway.gateway.url, {
      localAddress: '127.0.0.2',
    });
    customers.push(elsewhere);
    expect(
      await metricValue(
        gateway.gateway.httpUrl,
        'agent_desk_cobrowse_codes_total{outcome="address_waiting"}',
      ),
    ).toBe(1);
  });
});

describe('co-browse: files and metrics', () => {
  it('serves the demo shop with the snippet tag and the tagged fields', async () => {
    const gateway = await start();
    const index = await getText(`${gateway.gateway.httpUrl}/demo/shop/`);
    expect(index.status).toBe(200);
    expect(index.body).toContain('<script src="/cobrowse/agent-desk-cobrowse.js" async></script>');
    const address = await getText(`${gateway.gateway.httpUrl}/demo/shop/address.html`);
    expect(address.body).toMatch(/name="phone"[^>]*data-agent-desk="contact"/);
    expect(address.body).toMatch(/name="line1"[^>]*data-agent-desk="address"/);
    const payment = await getText(`${gateway.gateway.httpUrl}/demo/shop/payment.html`);
    expect(payment.body).toMatch(/name="cardNumber"[^>]*data-agent-desk="payment"/);
    for (const page of ['after-sales.html', 'shop.css']) {
      expect((await getText(`${gateway.gateway.httpUrl}/demo/shop/${page}`)).status).toBe(200);
    }
    expect((await getText(`${gateway.gateway.httpUrl}/demo/shop/../gateway.ts`)).status).toBe(404);
    expect((await getText(`${gateway.gateway.httpUrl}/demo/shop/missing.html`)).status).toBe(404);
  });

  it('serves the built snippet: no-cache under its plain name, a year under a versioned one, 404 with a hint while missing', async () => {
    const dir = makeTempDir('agent-desk-snippet-');
    try {
      const gateway = await start({ cobrowse: { snippetDir: join(dir.path, 'cobrowse') } });
      const missing = await fetch(`${gateway.gateway.httpUrl}/cobrowse/agent-desk-cobrowse.js`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toMatch(/not built: run `npm run build`/);

      mkdirSync(join(dir.path, 'cobrowse'));
      writeFileSync(join(dir.path, 'cobrowse', 'agent-desk-cobrowse.js'), 'console.log(1);');
      writeFileSync(join(dir.path, 'cobrowse', 'agent-desk-cobrowse-1.4.0.js'), 'console.log(2);');
      const plain = await fetch(`${gateway.gateway.httpUrl}/cobrowse/agent-desk-cobrowse.js`);
      expect(plain.status).toBe(200);
      expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(plain.headers.get('cache-control')).toBe('no-cache');
      expect(plain.headers.get('access-control-allow-origin')).toBe('*');
      expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await plain.text()).toBe('console.log(1);');
      const versioned = await fetch(`${gateway.gateway.httpUrl}/cobrowse/agent-desk-cobrowse-1.4.0.js`);
      expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const again = await fetch(`${gateway.gateway.httpUrl}/cobrowse/agent-desk-cobrowse.js`, {
        headers: { 'if-none-match': plain.headers.get('etag')! },
      });
      expect(again.status).toBe(304);
      expect((await fetch(`${gateway.gateway.httpUrl}/cobrowse/other.js`)).status).toBe(404);
      expect(
        (await fetch(`${gateway.gateway.httpUrl}/cobrowse/agent-desk-cobrowse.js`, { method: 'POST' }))
          .status,
      ).toBe(405);
    } finally {
      dir.remove();
    }
  });

  it('counts sessions open, frames and bytes relayed, codes refused and sessions ended by reason', async () => {
    const gateway = await start();
    const metric = (series: string) => metricValue(gateway.gateway.httpUrl, series);
    expect(await metric('agent_desk_cobrowse_sessions_open')).toBe(0);
    const { customer, agent, sessionId } = await joined(gateway);
    expect(await metric('agent_desk_cobrowse_sessions_open')).toBe(1);
    expect(await metric('agent_desk_cobrowse_customers_connected')).toBe(1);
    await grant(customer, agent, sessionId, ['view']);
    customer.send({ type: 'events', seq: 1, events: [{ type: 2 }] });
    await nextMessage(agent, sessionId);
    expect(await metric('agent_desk_cobrowse_frames_relayed_total{direction="to_agent"}')).toBe(3);
    expect(await metric('agent_desk_cobrowse_bytes_relayed_total{direction="to_agent"}')).toBeGreaterThan(
      100,
    );
    // Its own code is used up: any code is a wrong one now.
    await agent.callFailing('cobrowse.join', { code: '000001' });
    expect(await metric('agent_desk_cobrowse_codes_refused_total{reason="wrong_code"}')).toBe(1);
    await agent.call('cobrowse.leave', { sessionId });
    expect(await metric('agent_desk_cobrowse_sessions_open')).toBe(0);
    expect(await metric('agent_desk_cobrowse_sessions_ended_total{reason="agent_left"}')).toBe(1);
    expect(await metric('agent_desk_cobrowse_sessions_ended_total{reason="customer"}')).toBe(0);
  });
});
