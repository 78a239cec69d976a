import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeskServices } from '../../../src/main/desk-services';
import type { Gateway } from '../../../src/server/gateway';
import type { CustomerMessage } from '../../../src/shared/cobrowse-protocol';
import { DESK_COBROWSE_END, type CobrowseMessage } from '../../../src/shared/contract';
import { AGENT_WS_PATH } from '../../../src/shared/protocol';
import { CobrowseRoomProxy } from '../../e2e/cobrowse/room-proxy';
import { startTestGateway } from '../server/support/test-gateway';
import { callDesk, deskServices } from './support/desk-under-test';

const PAGE = { url: 'https://shop.example/orders/1042', title: 'Order 1042' };
const live = (consent: Array<'view' | 'scroll' | 'control'>): CustomerMessage => ({
  type: 'state',
  state: 'live',
  consent,
  page: PAGE,
});

/**
 * Main's side of co-browse under Node: the contract methods through the desk's dispatch (argument
 * validation included), signed in to the real gateway through a proxy that answers `cobrowse.*`
 * as a room would and sends the customer's `cobrowse` frames (the gateway's rooms are another
 * branch: until they land, the gateway itself refuses, which the last test checks).
 */
describe('co-browse in main', () => {
  let gateway: Gateway;
  let gatewayWsUrl: string;
  let room: CobrowseRoomProxy;
  let roomToClose: CobrowseRoomProxy | null = null;
  let desk: DeskServices;
  let messages: CobrowseMessage[];
  let waiters: Array<() => void>;

  /** Resolves once main has emitted a `cobrowse.message` that `matches`. */
  const emitted = async (matches: (message: CobrowseMessage) => boolean): Promise<CobrowseMessage> => {
    for (;;) {
      const found = messages.find(matches);
      if (found) return found;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  const ended = (message: CobrowseMessage) => message.message.type === 'ended';

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cobrowse-gw-'));
    gateway = await startTestGateway({ dbPath: join(dir, 'gateway.db'), demo: { orders: 30, seed: 2 } });
    gatewayWsUrl = `${gateway.url}${AGENT_WS_PATH}`;
  });
  afterAll(() => gateway.close());

  const signedInDesk = async (gatewayUrl: string) => {
    const services = deskServices({ gatewayUrl, dataDir: mkdtempSync(join(tmpdir(), 'cobrowse-desk-')) });
    await services.start();
    services.addEventSink((event, payload) => {
      if (event !== 'cobrowse.message') return;
      messages.push(payload as CobrowseMessage);
      for (const wake of waiters.splice(0)) wake();
    });
    await callDesk(services, 'session.loginDemo', undefined);
    return services;
  };

  const startDesk = async () => {
    messages = [];
    waiters = [];
    room = await CobrowseRoomProxy.start(gatewayWsUrl, PAGE);
    roomToClose = room;
    desk = await signedInDesk(room.wsUrl);
  };

  afterEach(async () => {
    await desk.stop();
    await roomToClose?.close();
    roomToClose = null;
  });

  it('validates every argument before anything reaches the gateway', async () => {
    await startDesk();
    for (const [method, args] of [
      ['cobrowse.join', { code: '12345' }],
      ['cobrowse.join', { code: '12345a' }],
      ['cobrowse.join', { code: room.code, admin: true }],
      ['cobrowse.join', { code: room.code, interactionId: 'has spaces' }],
      ['cobrowse.send', { sessionId: room.sessionId, message: { type: 'teleport' } }],
      ['cobrowse.send', { sessionId: room.sessionId, message: { type: 'pointer', x: 'left', y: 1 } }],
      [
        'cobrowse.send',
        { sessionId: room.sessionId, message: { type: 'input', nodeId: 3, value: 'x'.repeat(1001) } },
      ],
      ['cobrowse.leave', { sessionId: '' }],
      ['cobrowse.sessions', { all: true }],
    ] as const) {
      const envelope = await desk.dispatch(method, args);
      expect(envelope, `${method} ${JSON.stringify(args)}`).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    }
    expect(room.joins).toEqual([]);
    expect(room.sent).toEqual([]);
  });

  it('never sends into, or leaves, a session this desk did not join', async () => {
    await startDesk();
    await expect(
      callDesk(desk, 'cobrowse.send', {
        sessionId: room.sessionId,
        message: { type: 'pointer', x: 1, y: 2 },
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(callDesk(desk, 'cobrowse.leave', { sessionId: room.sessionId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(room.sent).toEqual([]);
    expect(room.leaves).toEqual([]);
  });

  it('joins linked to the call and order, passes on its own session’s frames, and sends within consent', async () => {
    await startDesk();
    await expect(callDesk(desk, 'cobrowse.join', { code: '000000' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const joined = await callDesk(desk, 'cobrowse.join', {
      code: room.code,
      interactionId: 'a84b4c76e66710@pbx.example',
      orderId: 'ord_1042',
    });
    expect(joined).toMatchObject({
      sessionId: room.sessionId,
      state: 'waiting_consent',
      consent: [],
      page: PAGE,
      interactionId: 'a84b4c76e66710@pbx.example',
      orderId: 'ord_1042',
    });
    expect(room.joins.at(-1)).toEqual({
      code: room.code,
      interactionId: 'a84b4c76e66710@pbx.example',
      orderId: 'ord_1042',
    });
    const send = (message: Parameters<typeof room.sent.push>[0]) =>
      callDesk(desk, 'cobrowse.send', { sessionId: room.sessionId, message });

    // Before the customer allows the view: nothing but handing control back.
    await expect(send({ type: 'pointer', x: 10, y: 20 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await send({ type: 'release-control' });

    room.toDesk(live(['view']));
    await emitted((m) => m.message.type === 'state');
    await send({ type: 'pointer', x: 10, y: 20 });
    await send({ type: 'highlight', nodeId: 42 });
    // Consent is asked level by level, and each message needs its level.
    await expect(send({ type: 'consent-request', level: 'control' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await send({ type: 'consent-request', level: 'scroll' });
    await expect(send({ type: 'scroll', x: 0, y: 400 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    room.toDesk({ type: 'consent', level: 'scroll', granted: true });
    await emitted((m) => m.message.type === 'consent');
    await send({ type: 'scroll', x: 0, y: 400 });
    await expect(send({ type: 'click', nodeId: 7 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    room.toDesk({ type: 'consent', level: 'control', granted: true });
    await emitted((m) => m.message.type === 'consent' && m.message.level === 'control');
    await send({ type: 'click', nodeId: 7 });
    await send({ type: 'input', nodeId: 7, value: 'Too small' });
    // The customer took control back: clicks are refused again.
    room.toDesk({ type: 'control-released', reason: 'escape' });
    await emitted((m) => m.message.type === 'control-released');
    await expect(send({ type: 'click', nodeId: 7 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(room.sent.map((message) => message.type)).toEqual([
      'release-control',
      'pointer',
      'highlight',
      'consent-request',
      'scroll',
      'click',
      'input',
    ]);

    // Events pass through as the room sent them; another session's frames do not reach the renderer.
    room.toDesk({
      type: 'events',
      seq: 1,
      events: [{ type: 4, timestamp: 1, data: { width: 800, height: 600 } }],
    });
    room.toDesk({ type: 'events', seq: 9, events: [] }, 'someone-elses-session');
    await emitted((m) => m.message.type === 'events');
    expect(messages.every((m) => m.sessionId === room.sessionId)).toBe(true);
    expect(messages.find((m) => m.message.type === 'events')!.message).toEqual({
      type: 'events',
      seq: 1,
      events: [{ type: 4, timestamp: 1, data: { width: 800, height: 600 } }],
    });
    expect(await callDesk(desk, 'cobrowse.sessions', undefined)).toEqual([
      expect.objectContaining({ sessionId: room.sessionId, state: 'live', consent: ['view', 'scroll'] }),
    ]);

    // Leaving tells the room, ends the session on screen, and forgets it.
    await callDesk(desk, 'cobrowse.leave', { sessionId: room.sessionId });
    expect(room.leaves).toEqual([room.sessionId]);
    expect((await emitted(ended)).message).toEqual({
      type: 'ended',
      by: 'agent',
      reason: DESK_COBROWSE_END.left,
    });
    expect(await callDesk(desk, 'cobrowse.sessions', undefined)).toEqual([]);
    await expect(send({ type: 'pointer', x: 1, y: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('forgets a session the customer ended', async () => {
    await startDesk();
    await callDesk(desk, 'cobrowse.join', { code: room.code });
    room.toDesk({ type: 'ended', by: 'customer', reason: 'stopped' });
    expect((await emitted(ended)).message).toEqual({ type: 'ended', by: 'customer', reason: 'stopped' });
    expect(await callDesk(desk, 'cobrowse.sessions', undefined)).toEqual([]);
  });

  it('ends the sessions when the gateway is lost, and leaves them at the gateway once it is back', async () => {
    await startDesk();
    await callDesk(desk, 'cobrowse.join', { code: room.code });
    room.dropDesks();
    expect((await emitted(ended)).message).toEqual({
      type: 'ended',
      by: 'gateway',
      reason: DESK_COBROWSE_END.connectionLost,
    });
    expect(await callDesk(desk, 'cobrowse.sessions', undefined)).toEqual([]);
    // The desk reconnects by itself: the room, which may still wait for it, is told it is over.
    await expect.poll(() => room.leaves, { timeout: 15_000 }).toEqual([room.sessionId]);
  });

  it('leaves the sessions at sign-out, before the sign-in ends', async () => {
    await startDesk();
    await callDesk(desk, 'cobrowse.join', { code: room.code });
    await callDesk(desk, 'session.logout', undefined);
    expect(room.leaves).toEqual([room.sessionId]);
    expect((await emitted(ended)).message).toMatchObject({ type: 'ended', by: 'agent' });
    expect(await callDesk(desk, 'cobrowse.sessions', undefined)).toEqual([]);
  });

  it('passes on the gateway’s own answer to a join (the placeholder refuses until the rooms land)', async () => {
    messages = [];
    waiters = [];
    desk = await signedInDesk(gatewayWsUrl);
    const envelope = await desk.dispatch('cobrowse.join', { code: '123456' });
    // FORBIDDEN from the placeholder; NOT_FOUND (nobody opened this code) once the rooms land.
    expect(envelope).toMatchObject({ ok: false });
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(!envelope.ok && envelope.error.code);
    expect(await callDesk(desk, 'cobrowse.sessions', undefined)).toEqual([]);
  });
});
