import { fakeHost, renderApp } from './renderApp';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/renderer/features/cobrowse/batch-assembler';
import type { Point, Rect, Size } from '../../src/renderer/features/cobrowse/coordinates';
import {
  replayFactory,
  type ReplayFactory,
  type ReplaySurface,
  type ReplayTarget,
} from '../../src/renderer/features/cobrowse/replay-surface';
import type { PhoneCall } from '../../src/renderer/features/softphone/phone-call';
import { useAgentStateStore } from '../../src/renderer/stores/agentState';
import { useInteractionStore } from '../../src/renderer/stores/interaction';
import { useOrdersStore } from '../../src/renderer/stores/orders';
import { useSoftphoneStore } from '../../src/renderer/stores/softphone';
import type { AgentCobrowseMessage, CustomerMessage } from '../../src/shared/cobrowse-protocol';
import type { Language } from '../../src/shared/contract';
import type { GatewayParams } from '../../src/shared/protocol';

const SESSION = 'cb_test_1';
const CODE = '482913';
const PAGE = { url: 'https://shop.example/orders/1042', title: 'Order 1042 · Demo Shop' };

/**
 * The replay in component tests: happy-dom lays nothing out, so rrweb's Replayer is replaced by a
 * page of fixed size whose every point is the same text field (rrweb id 7).
 */
class FakeReplay implements ReplaySurface {
  readonly batches: RecordedEvent[][] = [];
  private readonly listeners = new Set<() => void>();
  constructor(
    private readonly size: Size,
    private readonly scrolled: Point,
  ) {}
  add(events: RecordedEvent[]) {
    this.batches.push(events);
    this.changed();
  }
  viewport = () => this.size;
  scroll = () => this.scrolled;
  maxScroll = () => ({ x: 0, y: 5000 });
  targetAt = (point: Point): ReplayTarget => ({
    nodeId: 7,
    rect: { x: point.x, y: point.y, width: 200, height: 24 },
    editable: true,
  });
  rectOf = (): Rect => ({ x: 20, y: 40, width: 200, height: 24 });
  onChange(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  destroy() {
    this.listeners.clear();
  }
  changed() {
    for (const listener of this.listeners) listener();
  }
}

let replays: FakeReplay[];
const realFactory: ReplayFactory = replayFactory.create;
beforeEach(() => {
  replays = [];
  // The customer's viewport is 2560x1600 in a 1280x800 stage (happy-dom's sizes here): drawn at half.
  replayFactory.create = async () => {
    const replay = new FakeReplay({ width: 2560, height: 1600 }, { x: 0, y: 300 });
    replays.push(replay);
    return replay;
  };
  useInteractionStore.getState().reset();
});
afterEach(() => {
  replayFactory.create = realFactory;
});

const talking: PhoneCall = {
  id: 'call-cb-1',
  direction: 'inbound',
  remoteNumber: '+8613800138000',
  remoteName: '',
  headers: {},
  status: 'active',
  muted: false,
  startedAt: '2025-03-05T09:00:00.000Z',
  answeredAt: '2025-03-05T09:00:03.000Z',
  endedAt: null,
  endReason: null,
  consultFor: null,
};

async function shell(language: Language = 'en') {
  renderApp({ signedIn: true, language });
  await screen.findByTestId('order-search-input');
  fakeHost.cobrowseCodes.set(CODE, { sessionId: SESSION, state: 'waiting_consent', consent: [], page: PAGE });
}

/** Enter down and up (antd's input takes the next Enter only after the key came up). */
const pressEnter = (element: Element) => {
  fireEvent.keyDown(element, { key: 'Enter', code: 'Enter', keyCode: 13 });
  fireEvent.keyUp(element, { key: 'Enter', code: 'Enter', keyCode: 13 });
};
const isDisabled = (testId: string) => (screen.getByTestId(testId) as HTMLButtonElement).disabled;
const pressShortcut = () => fireEvent.keyDown(window, { key: 'L', ctrlKey: true, shiftKey: true });
const codeInput = () => screen.getByTestId('cobrowse-code') as HTMLInputElement;
const toDesk = (message: CustomerMessage) =>
  act(() => fakeHost.emit('cobrowse.message', { sessionId: SESSION, message }));
const sent = () =>
  (fakeHost.callsOf('cobrowse.send') as Array<GatewayParams<'cobrowse.send'>>).map((call) => call.message);
const sentOf = <T extends AgentCobrowseMessage['type']>(type: T) =>
  sent().filter((message): message is Extract<AgentCobrowseMessage, { type: T }> => message.type === type);

async function joinByCode() {
  pressShortcut();
  fireEvent.change(await screen.findByTestId('cobrowse-code'), { target: { value: CODE } });
  pressEnter(codeInput());
  await screen.findByTestId('cobrowse-panel');
  await waitFor(() => expect(replays).toHaveLength(1));
}

async function goLive(consent: Array<'view' | 'scroll' | 'control'> = ['view']) {
  await toDesk({ type: 'state', state: 'live', consent, page: PAGE });
  await act(async () => replays[0]!.changed()); // the replay has its viewport
}

describe('co-browse: joining by code', () => {
  it('opens on Ctrl+Shift+L, takes a pasted code with spaces, and says when it is short or wrong', async () => {
    await shell();
    pressShortcut();
    const input = await screen.findByTestId('cobrowse-code');
    // Pasted as read out: spaces, a dash, a stray letter.
    fireEvent.change(input, { target: { value: '48-29 1x' } });
    expect(codeInput().value).toBe('48291');
    pressEnter(input);
    expect((await screen.findByTestId('cobrowse-join-error')).dataset.problem).toBe('incomplete');
    expect(fakeHost.callsOf('cobrowse.join')).toEqual([]);

    fireEvent.change(input, { target: { value: '111 111' } });
    pressEnter(input);
    const error = await screen.findByTestId('cobrowse-join-error');
    await waitFor(() => expect(error.dataset.problem).toBe('notFound'));
    expect(error.textContent).toContain('a code works once, for 10 minutes');
    expect(fakeHost.callsOf('cobrowse.join')).toEqual([{ code: '111111' }]);

    fireEvent.change(input, { target: { value: `${CODE.slice(0, 3)} ${CODE.slice(3)}` } });
    pressEnter(input);
    await screen.findByTestId('cobrowse-panel');
    expect(screen.queryByTestId('cobrowse-join')).toBeNull();
  });

  it('counts down the wait after too many wrong codes, with Join off', async () => {
    await shell();
    fakeHost.failures.set('cobrowse.join', {
      code: 'RATE_LIMITED',
      message: 'too many wrong codes',
      details: { retryAfterMs: 42_000 },
    });
    pressShortcut();
    fireEvent.change(await screen.findByTestId('cobrowse-code'), { target: { value: '123456' } });
    fireEvent.click(screen.getByTestId('cobrowse-join-submit'));
    const error = await screen.findByTestId('cobrowse-join-error');
    expect(error.dataset.problem).toBe('tooMany');
    expect(error.textContent).toMatch(/try again in 4[12] seconds/);
    expect(isDisabled('cobrowse-join-submit')).toBe(true);
  });

  it.each([
    ['FORBIDDEN', 'forbidden', 'Your role is not allowed to co-browse'],
    ['GATEWAY_UNAVAILABLE', 'gatewayDown', 'The gateway cannot be reached'],
    ['TIMEOUT', 'gatewayDown', 'The gateway cannot be reached'],
  ] as const)('explains %s', async (code, problem, text) => {
    await shell();
    fakeHost.failures.set('cobrowse.join', code);
    pressShortcut();
    fireEvent.change(await screen.findByTestId('cobrowse-code'), { target: { value: '123456' } });
    fireEvent.click(screen.getByTestId('cobrowse-join-submit'));
    const error = await screen.findByTestId('cobrowse-join-error');
    expect(error.dataset.problem).toBe(problem);
    expect(error.textContent).toContain(text);
  });

  it('says up front that the gateway is needed when it is offline', async () => {
    await shell();
    await act(() =>
      fakeHost.emit('connection.changed', {
        status: 'offline',
        since: '2025-03-05T09:00:00.000Z',
        reason: { code: 'GATEWAY_UNAVAILABLE', message: 'down' },
      }),
    );
    fireEvent.click(screen.getByTestId('rail-cobrowse'));
    expect(await screen.findByTestId('cobrowse-join-offline')).toBeTruthy();
    expect(isDisabled('cobrowse-join-submit')).toBe(true);
  });

  it('from the call bar: linked to the call and the order on screen, and recorded in the call’s actions', async () => {
    await shell();
    await act(() => useOrdersStore.getState().open('ord_1001'));
    act(() => {
      useSoftphoneStore.getState().upsertCall(talking);
      useAgentStateStore.getState().apply({ type: 'call_answered' });
    });
    fireEvent.click(await screen.findByTestId('call-cobrowse'));
    expect((await screen.findByTestId('cobrowse-join-link')).textContent).toBe(
      'Linked to the call with +8613800138000 and order DM-1001',
    );
    fireEvent.change(codeInput(), { target: { value: CODE } });
    fireEvent.click(screen.getByTestId('cobrowse-join-submit'));
    await screen.findByTestId('cobrowse-panel');
    expect(fakeHost.callsOf('cobrowse.join')).toEqual([
      { code: CODE, interactionId: 'call-cb-1', orderId: 'ord_1001' },
    ]);
    expect(screen.getByTestId('cobrowse-linked').textContent).toBe('Call +8613800138000 · Order DM-1001');

    await goLive();
    fireEvent.click(screen.getByTestId('cobrowse-end'));
    await waitFor(() => expect(screen.getByTestId('cobrowse-state').dataset.state).toBe('ended'));
    expect(fakeHost.callsOf('calls.addAction')).toEqual([
      {
        callId: 'call-cb-1',
        action: expect.objectContaining({
          orderId: 'ord_1001',
          displayNumber: 'DM-1001',
          type: 'cobrowse',
          outcome: 'applied',
        }),
      },
    ]);
    expect(useInteractionStore.getState().byCall['call-cb-1']?.actions).toEqual([
      expect.objectContaining({ type: 'cobrowse', outcome: 'applied' }),
    ]);
  });
});

describe('co-browse: states', () => {
  it.each([
    ['en', ['Waiting for consent', 'Live', 'Reconnecting', 'Ended'], 'The customer ended the session.'],
    ['zh-CN', ['等待客户同意', '实时', '重新连接中', '已结束'], '客户结束了会话。'],
  ] as const)('shows each state with colour and words (%s)', async (language, words, endedText) => {
    await shell(language);
    await joinByCode();
    const state = () => screen.getByTestId('cobrowse-state');
    expect(state().dataset.state).toBe('waiting_consent');
    expect(state().textContent).toBe(words[0]);
    expect(state().className).toContain('ant-tag-processing');
    expect(screen.getByTestId('cobrowse-cover').dataset.state).toBe('waiting_consent');
    expect(screen.getByTestId('cobrowse-consent-view').dataset.status).toBe('asked');

    await goLive();
    expect(state().textContent).toBe(words[1]);
    expect(state().className).toContain('ant-tag-success');
    expect(screen.queryByTestId('cobrowse-cover')).toBeNull();
    expect(screen.getByTestId('cobrowse-consent-view').dataset.status).toBe('granted');
    expect(screen.getByTestId('cobrowse-page').textContent).toContain(PAGE.title);

    await toDesk({ type: 'state', state: 'reconnecting', consent: ['view'], page: null });
    expect(state().textContent).toBe(words[2]);
    expect(state().className).toContain('ant-tag-warning');
    expect(screen.getByTestId('cobrowse-cover').dataset.state).toBe('reconnecting');

    await toDesk({ type: 'ended', by: 'customer', reason: 'stopped' });
    expect(state().textContent).toBe(words[3]);
    expect(screen.getByTestId('cobrowse-ended').textContent).toBe(endedText);
    expect(screen.getByTestId('cobrowse-replay-host').parentElement!.hidden).toBe(true);
    fireEvent.click(screen.getByTestId('cobrowse-close'));
    expect(screen.queryByTestId('cobrowse-panel')).toBeNull();
  });

  it('says when the customer declines, and when the gateway connection was lost', async () => {
    await shell();
    await joinByCode();
    await toDesk({ type: 'state', state: 'refused', consent: [], page: null });
    expect(screen.getByTestId('cobrowse-state').textContent).toBe('Declined');
    expect(screen.getByTestId('cobrowse-state').className).toContain('ant-tag-error');
    expect(screen.getByTestId('cobrowse-ended').textContent).toBe(
      'The customer declined to share their page.',
    );
    await toDesk({ type: 'ended', by: 'gateway', reason: 'agent_disconnected' });
    expect(screen.getByTestId('cobrowse-ended').textContent).toContain(
      'The connection to the gateway was lost',
    );
  });

  it('takes up the session main still holds after a window reload, and asks for a snapshot', async () => {
    fakeHost.reset({ signedIn: true });
    fakeHost.cobrowseSessions.set(SESSION, {
      sessionId: SESSION,
      state: 'live',
      consent: ['view', 'scroll'],
      page: PAGE,
      interactionId: null,
      orderId: 'ord_1001',
      joinedAt: '2025-03-05T09:00:00.000Z',
    });
    const sessions = new Map(fakeHost.cobrowseSessions);
    renderApp({ signedIn: true });
    fakeHost.cobrowseSessions = sessions; // renderApp resets the host
    await screen.findByTestId('order-search-input');
    await waitFor(() => expect(screen.getByTestId('cobrowse-state').dataset.state).toBe('live'));
    await waitFor(() => expect(sentOf('resync')).toHaveLength(1));
    expect(screen.getByTestId('cobrowse-consent-scroll').dataset.status).toBe('granted');
  });
});

describe('co-browse: pointer, scroll and control within consent', () => {
  it('sends the pointer in the customer’s document coordinates', async () => {
    await shell();
    await joinByCode();
    // Before the customer allows the view: nothing is sent.
    fireEvent.mouseMove(screen.getByTestId('cobrowse-overlay'), { clientX: 100, clientY: 50 });
    expect(sentOf('pointer')).toEqual([]);
    await goLive();
    expect(screen.getByTestId('cobrowse-replay-host').dataset.scale).toBe('0.5000');
    fireEvent.mouseMove(screen.getByTestId('cobrowse-overlay'), { clientX: 100, clientY: 50 });
    // Drawn at half, the page scrolled 300 down.
    await waitFor(() => expect(sentOf('pointer')).toEqual([{ type: 'pointer', x: 200, y: 400 }]));
  });

  it('highlights the element clicked with the highlight tool', async () => {
    await shell();
    await joinByCode();
    await goLive();
    fireEvent.click(within(screen.getByTestId('cobrowse-tool')).getByText('Highlight'));
    fireEvent.click(screen.getByTestId('cobrowse-overlay'), { clientX: 40, clientY: 30 });
    await waitFor(() => expect(sentOf('highlight')).toEqual([{ type: 'highlight', nodeId: 7 }]));
    expect(screen.getByTestId('cobrowse-highlight')).toBeTruthy();
    // Another tool: the outline goes from the customer's page too.
    fireEvent.click(within(screen.getByTestId('cobrowse-tool')).getByText('Pointer'));
    await waitFor(() => expect(sentOf('highlight').at(-1)).toEqual({ type: 'highlight', nodeId: null }));
    expect(screen.queryByTestId('cobrowse-highlight')).toBeNull();
  });

  it('scrolls only after the customer allows it, and asks for control only after scroll', async () => {
    await shell();
    await joinByCode();
    await goLive();
    const overlay = screen.getByTestId('cobrowse-overlay');
    expect(isDisabled('cobrowse-request-control')).toBe(true);
    fireEvent.wheel(overlay, { clientX: 100, clientY: 100, deltaY: 120 });
    expect(screen.getByTestId('cobrowse-hint').dataset.notice).toBe('scrollNeedsConsent');
    expect(sentOf('scroll')).toEqual([]);

    fireEvent.click(screen.getByTestId('cobrowse-ask-scroll'));
    await waitFor(() =>
      expect(sentOf('consent-request')).toEqual([{ type: 'consent-request', level: 'scroll' }]),
    );
    expect(screen.getByTestId('cobrowse-consent-scroll').dataset.status).toBe('asked');
    expect(isDisabled('cobrowse-ask-scroll')).toBe(true);
    await toDesk({ type: 'consent', level: 'scroll', granted: true });
    expect(screen.getByTestId('cobrowse-consent-scroll').dataset.status).toBe('granted');
    expect(screen.getByTestId('cobrowse-hint').dataset.notice).toBeUndefined();
    fireEvent.wheel(overlay, { clientX: 100, clientY: 100, deltaY: 120 });
    await waitFor(() => expect(sentOf('scroll')).toEqual([{ type: 'scroll', x: 0, y: 420 }]));
    expect(isDisabled('cobrowse-request-control')).toBe(false);
  });

  it('says why a request was refused, in the agent’s words, and does not wait for an answer', async () => {
    await shell();
    await joinByCode();
    await goLive();
    fakeHost.failures.set('cobrowse.send', {
      code: 'FORBIDDEN',
      message: "The customer's page is loading again: try in a moment",
      details: { reasons: [{ code: 'COBROWSE_CUSTOMER_RECONNECTING', params: {} }] },
    });
    fireEvent.click(screen.getByTestId('cobrowse-ask-scroll'));
    await waitFor(() =>
      expect(screen.getByTestId('cobrowse-hint').textContent).toBe(
        'Not sent: The customer’s page is loading again: try in a moment.',
      ),
    );
    expect(screen.getByTestId('cobrowse-hint').dataset.notice).toBe('sendFailed');
    expect(screen.getByTestId('cobrowse-consent-scroll').dataset.status).toBe('none');
    expect(isDisabled('cobrowse-ask-scroll')).toBe(false);
  });

  it('clicks and types on the page only with control, and hands control back', async () => {
    await shell();
    await joinByCode();
    await goLive(['view', 'scroll']);
    const overlay = screen.getByTestId('cobrowse-overlay');
    const controlTool = within(screen.getByTestId('cobrowse-tool')).getByText('Control');
    expect(controlTool.closest('.ant-segmented-item')!.className).toContain('disabled');
    fireEvent.click(overlay, { clientX: 40, clientY: 30 });
    expect(sentOf('click')).toEqual([]);

    fireEvent.click(screen.getByTestId('cobrowse-request-control'));
    await waitFor(() =>
      expect(sentOf('consent-request').at(-1)).toEqual({ type: 'consent-request', level: 'control' }),
    );
    await toDesk({ type: 'consent', level: 'control', granted: true });
    // Control granted: the control tool is on.
    expect(overlay.className).toContain('cobrowse-overlay-control');
    fireEvent.click(overlay, { clientX: 40, clientY: 30 });
    await waitFor(() => expect(sentOf('click')).toEqual([{ type: 'click', nodeId: 7 }]));
    const typing = await screen.findByTestId('cobrowse-typing');
    fireEvent.change(typing, { target: { value: 'Too small' } });
    fireEvent.keyDown(typing, { key: 'Enter', code: 'Enter', keyCode: 13 });
    await waitFor(() =>
      expect(sentOf('input').at(-1)).toEqual({ type: 'input', nodeId: 7, value: 'Too small' }),
    );
    expect(screen.queryByTestId('cobrowse-typing')).toBeNull();

    fireEvent.click(screen.getByTestId('cobrowse-release-control'));
    await waitFor(() => expect(sentOf('release-control')).toHaveLength(1));
    await toDesk({ type: 'control-released', reason: 'agent' });
    expect(screen.getByTestId('cobrowse-consent-control').dataset.status).toBe('none');
    expect(overlay.className).not.toContain('cobrowse-overlay-control');
    expect(screen.getByTestId('cobrowse-hint').textContent).toBe('You released control.');
  });
});

describe('co-browse: the replay’s events', () => {
  const meta = { type: 4, timestamp: 1, data: { width: 2560, height: 1600 } };
  const full = { type: 2, timestamp: 2, data: { node: {} } };
  const change = (n: number) => ({ type: 3, timestamp: 10 + n, data: { source: 0 } });

  it('replays whole batches in order, reassembles chunks, and asks for a snapshot after a gap', async () => {
    await shell();
    await joinByCode();
    await goLive();
    await toDesk({ type: 'events', seq: 1, events: [meta, full] });
    const text = JSON.stringify({ events: [change(2)] });
    await toDesk({ type: 'chunk', seq: 2, part: 0, parts: 2, data: text.slice(0, 10) });
    await toDesk({ type: 'chunk', seq: 2, part: 1, parts: 2, data: text.slice(10) });
    expect(replays[0]!.batches).toEqual([[meta, full], [change(2)]]);

    await toDesk({ type: 'events', seq: 4, events: [change(4)] }); // 3 was lost
    await waitFor(() => expect(sentOf('resync')).toHaveLength(1));
    await toDesk({ type: 'events', seq: 5, events: [change(5)] });
    expect(replays[0]!.batches).toHaveLength(2);
    expect(sentOf('resync')).toHaveLength(1);
    await toDesk({ type: 'events', seq: 6, events: [meta, full] });
    expect(replays[0]!.batches).toHaveLength(3);
  });

  it('keeps the page going behind the order search, and brings it back', async () => {
    await shell();
    await joinByCode();
    await goLive();
    fireEvent.click(screen.getByTestId('cobrowse-show-search'));
    expect(screen.getByTestId('cobrowse-chip').textContent).toContain('Co-browsing: Live');
    await toDesk({ type: 'events', seq: 1, events: [meta, full] });
    expect(replays).toHaveLength(1);
    expect(replays[0]!.batches).toHaveLength(1);
    fireEvent.click(screen.getByTestId('cobrowse-show-replay'));
    expect(screen.queryByTestId('cobrowse-chip')).toBeNull();
    expect(screen.getByTestId('cobrowse-panel')).toBeTruthy();
  });
});
