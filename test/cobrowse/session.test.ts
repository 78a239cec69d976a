import { record } from '@rrweb/record';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { STORAGE_KEY } from '../../src/cobrowse/storage';
import type { CobrowseSession } from '../../src/cobrowse/session';
import { button, FakeGateway, goLive, grant, press, startSession, uiText } from './fake-gateway';
import { policy, settle, type } from './helpers';

const SHOP = `
  <h1>Order 1042</h1>
  <p id="status">Shipped</p>
  <p data-agent-desk="contact">Li Wei +86 138 0000 1111</p>
  <input id="city" data-agent-desk="public" />
  <input id="phone" type="tel" data-agent-desk="contact" />
  <input id="street" data-agent-desk="address" />
  <input id="plain" />
  <input id="password" type="password" />
  <div data-agent-desk="payment"><input id="card" autocomplete="cc-number" /></div>
  <button id="save" type="button">Save</button>
  <div id="list"></div>`;

let gateway: FakeGateway;
let session: CobrowseSession | null;

beforeEach(() => {
  history.replaceState(null, '', '/');
  sessionStorage.clear();
  document.body.innerHTML = SHOP;
  gateway = new FakeGateway();
  session = null;
});

afterEach(() => {
  session?.destroy();
  gateway.close();
  vi.restoreAllMocks();
});

/** Everything that left the browser, chunks joined back (a value split across two chunks still counts). */
function sentText(): string {
  const chunks = gateway.of('chunk').map((chunk) => chunk.data);
  return gateway.raw.join('\n') + chunks.join('');
}

function nodeId(id: string): number {
  return record.mirror.getId(document.getElementById(id));
}

describe('getting a code', () => {
  it('says hello, shows the code with the privacy line, and announces it', async () => {
    session = startSession();
    await press(session, 'help');
    const hello = await gateway.waitFor('hello');
    expect(hello).toMatchObject({ protocol: 1, language: 'en', page: { url: location.href } });
    await vi.waitFor(() => expect(uiText(session!)).toContain('482913'));
    expect(uiText(session)).toContain('Personal data stays hidden');
    expect(session.ui.root.querySelector('[aria-live="polite"]')?.textContent).toContain('4 8 2 9 1 3');
    expect(JSON.parse(sessionStorage.getItem(STORAGE_KEY)!)).toMatchObject({
      sessionId: 'session-1',
      resumeToken: 'resume-token-1',
    });
  });

  it('sends the page address without its query or fragment', async () => {
    history.replaceState(null, '', '/account/reset?email=li.wei%40example.com#token=SECRET');
    session = startSession();
    await goLive(gateway, session);
    expect((await gateway.waitFor('hello')).page.url).toBe(`${location.origin}/account/reset`);
    expect(sentText()).not.toContain('li.wei');
    expect(sentText()).not.toContain('SECRET');
  });

  it('speaks Chinese when asked to', async () => {
    session = startSession({ lang: 'zh-CN' });
    expect(button(session, 'help')?.textContent).toBe('获取帮助');
    await press(session, 'help');
    await vi.waitFor(() => expect(uiText(session!)).toContain('您的协助码'));
    expect((await gateway.waitFor('hello')).language).toBe('zh-CN');
  });
});

describe('consent before anything is recorded', () => {
  it('sends no page data before Allow, and a full snapshot right after', async () => {
    session = startSession();
    await press(session, 'help');
    await vi.waitFor(() => expect(uiText(session!)).toContain('482913'));
    gateway.send({ type: 'agent-joined', agent: { displayName: 'Agent Chen' }, masking: policy() });
    await vi.waitFor(() => expect(uiText(session!)).toContain('Agent Chen would like to see this page'));
    document.getElementById('status')!.textContent = 'Delivered';
    type(document.getElementById('city'), 'Shanghai');
    gateway.agent({ type: 'resync' });
    gateway.agent({ type: 'pointer', x: 10, y: 10 });
    await settle(150);
    expect(gateway.frames.map((frame) => frame.type)).toEqual(['hello']);

    await press(session, 'allow');
    await gateway.waitFor('consent', (frame) => frame.level === 'view' && frame.granted);
    const first = await gateway.waitFor('events');
    expect(first.seq).toBe(1);
    expect(first.events.some((event) => (event as { type: number }).type === 2)).toBe(true);
    expect(sentText()).toContain('Delivered');
    await vi.waitFor(() => expect(uiText(session!)).toContain('Agent Chen can see this page'));
  });

  it('sends nothing of the page after Decline, and ends on Close', async () => {
    session = startSession();
    await press(session, 'help');
    await vi.waitFor(() => expect(uiText(session!)).toContain('482913'));
    gateway.send({ type: 'agent-joined', agent: { displayName: 'Agent Chen' }, masking: policy() });
    await press(session, 'decline');
    await gateway.waitFor('consent', (frame) => frame.level === 'view' && !frame.granted);
    await vi.waitFor(() => expect(uiText(session!)).toContain('You declined'));
    await settle(100);
    expect(gateway.of('events')).toEqual([]);
    await press(session, 'close');
    await gateway.waitFor('end');
    expect(sessionStorage.getItem(STORAGE_KEY)).toBeNull();
  });
});

describe('masking at the source', () => {
  it('never sends a typed phone number, address or card number', async () => {
    session = startSession();
    await goLive(gateway, session, policy({ contact: 'masked', address: 'masked' }));
    type(document.getElementById('phone'), '13912345678');
    type(document.getElementById('street'), '88 Century Avenue');
    type(document.getElementById('card'), '4111111111111111');
    type(document.getElementById('plain'), 'Room 1203');
    type(document.getElementById('city'), 'Pudong');
    document.getElementById('list')!.innerHTML = '<p data-agent-desk="address">Room 9 Century Avenue</p>';
    gateway.agent({ type: 'resync' });
    await vi.waitFor(() => expect(sentText()).toContain('Pudong'));
    await gateway.waitFor(
      'events',
      (frame) => frame.events.some((event) => (event as { type: number }).type === 2) && frame.seq > 1,
    );
    const sent = sentText();
    for (const secret of [
      '13912345678',
      'Century',
      '4111111111111111',
      'Room 1203',
      '138 0000 1111',
      'Li Wei',
    ]) {
      expect(sent).not.toContain(secret);
    }
  });
});

describe('assist only with consent, checked in the snippet', () => {
  it('refuses scroll and control the customer did not allow, whatever the relay lets through', async () => {
    session = startSession();
    await goLive(gateway, session);
    const scrollTo = vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
    const clicked = vi.fn();
    document.getElementById('save')!.addEventListener('click', clicked);

    gateway.agent({ type: 'scroll', x: 0, y: 500 });
    gateway.agent({ type: 'click', nodeId: nodeId('save') });
    gateway.agent({ type: 'input', nodeId: nodeId('plain'), value: 'typed by agent' });
    await settle(100);
    expect(scrollTo).not.toHaveBeenCalled();
    expect(clicked).not.toHaveBeenCalled();
    expect((document.getElementById('plain') as HTMLInputElement).value).toBe('');

    await grant(gateway, session, 'scroll');
    gateway.agent({ type: 'scroll', x: 0, y: 500 });
    await vi.waitFor(() => expect(scrollTo).toHaveBeenCalledWith({ left: 0, top: 500, behavior: 'auto' }));
    gateway.agent({ type: 'click', nodeId: nodeId('save') });
    await settle(100);
    expect(clicked).not.toHaveBeenCalled();

    await grant(gateway, session, 'control');
    gateway.agent({ type: 'click', nodeId: nodeId('save') });
    gateway.agent({ type: 'input', nodeId: nodeId('plain'), value: 'typed by agent' });
    await vi.waitFor(() => expect(clicked).toHaveBeenCalledTimes(1));
    await vi.waitFor(() =>
      expect((document.getElementById('plain') as HTMLInputElement).value).toBe('typed by agent'),
    );
    await vi.waitFor(() => expect(uiText(session!)).toContain('Agent Chen is controlling this page'));
  });

  it('asks for scroll and control together when control is asked first', async () => {
    session = startSession();
    await goLive(gateway, session);
    await grant(gateway, session, 'control');
    expect(
      gateway
        .of('consent')
        .filter((frame) => frame.granted)
        .map((frame) => frame.level),
    ).toEqual(['view', 'scroll', 'control']);
    expect(session.consentLevels).toEqual(['view', 'scroll', 'control']);
  });

  it('refuses remote typing into password, masked and blocked fields', async () => {
    session = startSession();
    await goLive(gateway, session);
    await grant(gateway, session, 'control');
    for (const id of ['password', 'phone', 'street', 'card']) {
      gateway.agent({ type: 'input', nodeId: nodeId(id), value: 'by agent' });
    }
    gateway.agent({ type: 'input', nodeId: nodeId('city'), value: 'Minhang' });
    await vi.waitFor(() =>
      expect((document.getElementById('city') as HTMLInputElement).value).toBe('Minhang'),
    );
    for (const id of ['password', 'phone', 'street', 'card']) {
      expect((document.getElementById(id) as HTMLInputElement).value, id).toBe('');
    }
  });

  it('tells the customer the agent asked for scrolling, and sends the refusal on Decline', async () => {
    session = startSession();
    await goLive(gateway, session);
    gateway.agent({ type: 'consent-request', level: 'scroll' });
    await vi.waitFor(() => expect(uiText(session!)).toContain('Let Agent Chen scroll this page for you?'));
    await press(session, 'decline');
    await gateway.waitFor('consent', (frame) => frame.level === 'scroll' && !frame.granted);
    expect(session.consentLevels).toEqual(['view']);
  });
});

describe('control goes back to the customer', () => {
  async function withControl(controlIdleMs = 60_000): Promise<CobrowseSession> {
    session = startSession({ controlIdleMs });
    await goLive(gateway, session);
    await grant(gateway, session, 'control');
    return session;
  }

  it('after the idle time without a remote action', async () => {
    await withControl(80);
    expect((await gateway.waitFor('control-released')).reason).toBe('idle');
    expect(session!.consentLevels).toEqual(['view', 'scroll']);
  });

  it('when the tab is hidden', async () => {
    await withControl();
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    document.dispatchEvent(new Event('visibilitychange'));
    expect((await gateway.waitFor('control-released')).reason).toBe('hidden');
  });

  it('on Esc', async () => {
    await withControl();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect((await gateway.waitFor('control-released')).reason).toBe('escape');
    const clicked = vi.fn();
    document.getElementById('save')!.addEventListener('click', clicked);
    gateway.agent({ type: 'click', nodeId: nodeId('save') });
    await settle(100);
    expect(clicked).not.toHaveBeenCalled();
  });

  it('when the agent hands it back', async () => {
    await withControl();
    gateway.agent({ type: 'release-control' });
    expect((await gateway.waitFor('control-released')).reason).toBe('agent');
  });

  it('on the customer’s Stop, which ends the session and the recording', async () => {
    await withControl();
    await press(session!, 'stop');
    expect((await gateway.waitFor('control-released')).reason).toBe('stopped');
    await gateway.waitFor('end');
    expect(sessionStorage.getItem(STORAGE_KEY)).toBeNull();
    const sent = gateway.frames.length;
    document.getElementById('status')!.textContent = 'changed after stop';
    await settle(150);
    expect(gateway.frames.length).toBe(sent);
    await vi.waitFor(() => expect(uiText(session!)).toContain('You ended the help session.'));
  });
});

describe('page loads and lost connections', () => {
  it('rejoins after a reload with the consents the gateway kept, from a new full snapshot', async () => {
    session = startSession();
    await goLive(gateway, session);
    await grant(gateway, session, 'control');
    const lastSeq = Math.max(...gateway.of('events').map((frame) => frame.seq));
    // The page unloads (its storage stays) and loads again.
    const kept = sessionStorage.getItem(STORAGE_KEY)!;
    session.destroy();
    sessionStorage.setItem(STORAGE_KEY, kept);
    document.body.innerHTML = SHOP;
    gateway.resumeWith = {
      agent: { displayName: 'Agent Chen' },
      consent: ['view', 'scroll', 'control'],
      masking: policy(),
    };
    const before = gateway.frames.length;

    session = startSession();
    const resume = await gateway.waitFor('resume');
    expect(resume).toMatchObject({ sessionId: 'session-1', resumeToken: 'resume-token-1', protocol: 1 });
    const snapshot = await gateway.waitFor('events', (frame) => frame.seq > lastSeq);
    expect(snapshot.events.some((event) => (event as { type: number }).type === 2)).toBe(true);
    expect(gateway.frames.slice(before).some((frame) => frame.type === 'hello')).toBe(false);
    const clicked = vi.fn();
    document.getElementById('save')!.addEventListener('click', clicked);
    gateway.agent({ type: 'click', nodeId: nodeId('save') });
    await vi.waitFor(() => expect(clicked).toHaveBeenCalled());
    await vi.waitFor(() => expect(uiText(session!)).toContain('Agent Chen is controlling this page'));
  });

  it('shows the code again after a reload while no agent has joined', async () => {
    session = startSession();
    await press(session, 'help');
    await vi.waitFor(() => expect(uiText(session!)).toContain('482913'));
    const kept = sessionStorage.getItem(STORAGE_KEY)!;
    session.destroy();
    sessionStorage.setItem(STORAGE_KEY, kept);
    session = startSession();
    await gateway.waitFor('resume');
    await vi.waitFor(() => expect(uiText(session!)).toContain('482913'));
  });

  it('reconnects when the socket drops and resumes the session', async () => {
    session = startSession();
    await goLive(gateway, session);
    gateway.resumeWith = { agent: { displayName: 'Agent Chen' }, consent: ['view'], masking: policy() };
    gateway.drop();
    await gateway.waitFor('resume');
    expect(gateway.connections).toBe(2);
    await vi.waitFor(() => expect(uiText(session!)).toContain('Agent Chen can see this page'));
  });

  it('keeps a control release made while disconnected and sends it after resuming', async () => {
    session = startSession();
    await goLive(gateway, session);
    await grant(gateway, session, 'control');
    gateway.resumeWith = {
      agent: { displayName: 'Agent Chen' },
      consent: ['view', 'scroll', 'control'],
      masking: policy(),
    };
    gateway.drop();
    await vi.waitFor(() => expect(uiText(session!)).toContain('Reconnecting…'));
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect((await gateway.waitFor('control-released')).reason).toBe('escape');
    expect(gateway.frames.findIndex((f) => f.type === 'resume')).toBeLessThan(
      gateway.frames.findIndex((f) => f.type === 'control-released'),
    );
    expect(session.consentLevels).toEqual(['view', 'scroll']);
  });
});

describe('what the gateway sends is checked', () => {
  it('ignores malformed frames without throwing and goes on working', async () => {
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.error);
    window.addEventListener('error', onError);
    session = startSession();
    await goLive(gateway, session);
    await grant(gateway, session, 'control');
    for (const junk of [
      'not json',
      '{}',
      '{"type":"agent","message":{"type":"click","nodeId":"1"}}',
      '{"type":"agent","message":{"type":"scroll","x":1e99,"y":0}}',
      '{"type":"agent","message":{"type":"input","nodeId":1,"value":"x","extra":true}}',
      '{"type":"agent-joined","agent":{"displayName":"X"},"masking":{"classes":{},"rules":[]}}',
      '{"type":"ended","by":"nobody","reason":""}',
      '[1,2,3]',
    ]) {
      gateway.sendRaw(junk);
    }
    gateway.agent({ type: 'click', nodeId: 999_999 });
    const clicked = vi.fn();
    document.getElementById('save')!.addEventListener('click', clicked);
    gateway.agent({ type: 'click', nodeId: nodeId('save') });
    await vi.waitFor(() => expect(clicked).toHaveBeenCalled());
    expect(session.currentPhase).toBe('live');
    expect(session.consentLevels).toEqual(['view', 'scroll', 'control']);
    window.removeEventListener('error', onError);
    expect(errors).toEqual([]);
  });

  it('asks again when another agent joins', async () => {
    session = startSession();
    await goLive(gateway, session);
    gateway.send({ type: 'agent-joined', agent: { displayName: 'Agent Wu' }, masking: policy() });
    await vi.waitFor(() => expect(uiText(session!)).toContain('Agent Wu would like to see this page'));
    expect(session.consentLevels).toEqual([]);
  });

  it('ends when the agent ends it', async () => {
    session = startSession();
    await goLive(gateway, session);
    gateway.send({ type: 'ended', by: 'agent', reason: 'resolved' });
    await vi.waitFor(() => expect(uiText(session!)).toContain('The agent ended the help session.'));
    expect(sessionStorage.getItem(STORAGE_KEY)).toBeNull();
  });
});

describe('large pages', () => {
  it('sends a snapshot over the chunk size as chunks that reassemble in order', async () => {
    document.getElementById('list')!.innerHTML = Array.from(
      { length: 3_000 },
      (_, i) => `<p class="row">Row ${i} ${'lorem ipsum '.repeat(10)}</p>`,
    ).join('');
    session = startSession();
    await goLive(gateway, session);
    const last = await vi.waitFor(() => {
      const chunks = gateway.of('chunk');
      const final = chunks.find((chunk) => chunk.part === chunk.parts - 1);
      expect(final).toBeDefined();
      return final!;
    });
    const parts = gateway.of('chunk').filter((chunk) => chunk.seq === last.seq);
    expect(parts.map((part) => part.part)).toEqual([...Array(last.parts).keys()]);
    const batch = JSON.parse(parts.map((part) => part.data).join('')) as { events: { type: number }[] };
    expect(batch.events.some((event) => event.type === 2)).toBe(true);
    expect(JSON.stringify(batch)).toContain('Row 2999');
  });
});

describe('keyboard', () => {
  it('reaches the buttons and declines the banner with Esc while focus is in the snippet', async () => {
    session = startSession();
    await press(session, 'help');
    await vi.waitFor(() => expect(uiText(session!)).toContain('482913'));
    gateway.send({ type: 'agent-joined', agent: { displayName: 'Agent Chen' }, masking: policy() });
    await vi.waitFor(() => expect(button(session!, 'allow')).not.toBeNull());
    for (const action of ['allow', 'decline']) expect(button(session, action)?.tabIndex).toBe(0);
    button(session, 'allow')!.focus();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    await gateway.waitFor('consent', (frame) => frame.level === 'view' && !frame.granted);
  });
});
