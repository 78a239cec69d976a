import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '../../../src/server/audit/audit-log';
import type { CobrowseMetrics } from '../../../src/server/cobrowse/cobrowse-metrics';
import { CobrowseRoom, type CustomerLink, type RoomDeps } from '../../../src/server/cobrowse/cobrowse-room';
import { maskingPolicyFor } from '../../../src/server/cobrowse/masking-policy';
import type { OrderChanges } from '../../../src/server/orders/order-changes';
import type { AgentLink, AgentLinkEnd } from '../../../src/server/ws/agent-link';
import {
  CONTROL_IDLE_MS,
  type AgentCobrowseMessage,
  type CustomerMessage,
  type GatewayToCustomerFrame,
} from '../../../src/shared/cobrowse-protocol';
import type { AgentUser } from '../../../src/shared/domain';
import { DeskError } from '../../../src/shared/errors';
import { CobrowseFrame } from '../../../src/shared/protocol';

const AGENT: AgentUser = { id: 'u1', username: 'frontline', displayName: 'Lin', role: 'frontline' };
const PAGE = { url: 'https://shop.example/', title: 'Shop' };

class FakeCustomer implements CustomerLink {
  readonly frames: GatewayToCustomerFrame[] = [];
  closed = false;
  wasReplaced = false;
  send(frame: GatewayToCustomerFrame): number {
    this.frames.push(frame);
    return JSON.stringify(frame).length;
  }
  replaced(): void {
    this.wasReplaced = true;
  }
  close(): void {
    this.closed = true;
  }
  take(): GatewayToCustomerFrame[] {
    return this.frames.splice(0);
  }
}

class FakeAgent implements AgentLink {
  readonly messages: CustomerMessage[] = [];
  bufferedAmount = 0;
  live = true;
  get userId(): string | null {
    return this.live ? AGENT.id : null;
  }
  private listener: ((why: AgentLinkEnd) => void) | null = null;
  send(text: string): boolean {
    if (!this.live) return false;
    this.messages.push(CobrowseFrame.parse(JSON.parse(text)).message);
    return true;
  }
  onEnd(listener: (why: AgentLinkEnd) => void): () => void {
    this.listener = listener;
    return () => (this.listener = null);
  }
  end(why: AgentLinkEnd): void {
    this.live = false;
    this.listener?.(why);
  }
  take(): CustomerMessage[] {
    return this.messages.splice(0);
  }
}

const noMetrics: CobrowseMetrics = {
  customerRefused: () => {},
  codeRequested: () => {},
  joinRefused: () => {},
  relayed: () => {},
  eventsDropped: () => {},
  cobrowseEnded: () => {},
};

function roomWith() {
  const clock = { now: 1_000_000 };
  const audited: AuditEntry[] = [];
  const audit: AuditLog = {
    append: () => {
      throw new Error('not used');
    },
    record: async (entry) => {
      audited.push(entry);
      return { ...entry, seq: audited.length, at: '', prevHash: '', hash: '' };
    },
  };
  const ended: string[] = [];
  const deps: RoomDeps = {
    audit,
    changes: {} as OrderChanges,
    metrics: noMetrics,
    logger: pino({ level: 'silent' }),
    now: () => clock.now,
    agentBufferedLimitBytes: 1_000,
    resumeGraceMs: 60_000,
    onEnded: (room) => ended.push(room.id),
  };
  const customer = new FakeCustomer();
  const room = new CobrowseRoom('s1', Buffer.alloc(32), customer, PAGE, deps);
  const agent = new FakeAgent();
  room.join(AGENT, agent, maskingPolicyFor('frontline', []), {});
  room.announceAgent();
  customer.take();
  return { room, customer, agent, clock, audited, ended };
}

function refusedLevel(room: CobrowseRoom, message: AgentCobrowseMessage): string | null {
  try {
    room.fromAgent(message);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(DeskError);
    return String((err as DeskError).details?.reasons?.[0]?.params.level);
  }
}

describe('a co-browse room', () => {
  it('checks every agent message against CONSENT_NEEDED', () => {
    const { room, customer } = roomWith();
    expect(refusedLevel(room, { type: 'pointer', x: 1, y: 1 })).toBe('view');
    expect(refusedLevel(room, { type: 'highlight', nodeId: 3 })).toBe('view');
    expect(refusedLevel(room, { type: 'resync' })).toBe('view');
    expect(refusedLevel(room, { type: 'consent-request', level: 'scroll' })).toBe('view');
    // Handing back control needs nothing.
    expect(refusedLevel(room, { type: 'release-control' })).toBeNull();
    room.fromCustomer({ type: 'consent', level: 'view', granted: true });
    expect(refusedLevel(room, { type: 'scroll', x: 0, y: 1 })).toBe('scroll');
    room.fromCustomer({ type: 'consent', level: 'scroll', granted: true });
    expect(refusedLevel(room, { type: 'scroll', x: 0, y: 1 })).toBeNull();
    expect(refusedLevel(room, { type: 'click', nodeId: 1 })).toBe('control');
    expect(refusedLevel(room, { type: 'input', nodeId: 1, value: 'x' })).toBe('control');
    expect(customer.take()).toEqual([{ type: 'agent', message: { type: 'scroll', x: 0, y: 1 } }]);
  });

  it('takes back the levels above a consent withdrawn', () => {
    const { room, agent } = roomWith();
    for (const level of ['view', 'scroll', 'control'] as const) {
      room.fromCustomer({ type: 'consent', level, granted: true });
    }
    room.fromCustomer({ type: 'consent', level: 'scroll', granted: false });
    expect(agent.take().at(-1)).toEqual({ type: 'state', state: 'live', consent: ['view'], page: PAGE });
    // Scroll again does not bring control back without asking.
    room.fromCustomer({ type: 'consent', level: 'scroll', granted: true });
    expect(agent.take().at(-1)).toMatchObject({ consent: ['view', 'scroll'] });
  });

  it('releases control after CONTROL_IDLE_MS without a remote click or keystroke, whatever the snippet did', () => {
    const { room, customer, agent, clock, audited } = roomWith();
    for (const level of ['view', 'scroll', 'control'] as const) {
      room.fromCustomer({ type: 'consent', level, granted: true });
    }
    clock.now += CONTROL_IDLE_MS - 1;
    expect(refusedLevel(room, { type: 'click', nodeId: 4 })).toBeNull();
    clock.now += CONTROL_IDLE_MS - 1;
    expect(refusedLevel(room, { type: 'input', nodeId: 4, value: 'a' })).toBeNull();
    agent.take();
    clock.now += CONTROL_IDLE_MS + 1;
    expect(refusedLevel(room, { type: 'click', nodeId: 4 })).toBe('control');
    expect(customer.take().at(-1)).toEqual({ type: 'agent', message: { type: 'release-control' } });
    expect(agent.take()).toEqual([
      { type: 'control-released', reason: 'idle' },
      { type: 'state', state: 'live', consent: ['view', 'scroll'], page: PAGE },
    ]);
    expect(audited.at(-1)).toMatchObject({
      action: 'cobrowse.control_released',
      details: { reason: 'idle' },
    });
  });

  it('drops events while the agent’s socket is behind, then asks the snippet for a full snapshot', () => {
    const { room, customer, agent } = roomWith();
    room.fromCustomer({ type: 'consent', level: 'view', granted: true });
    agent.take();
    customer.take();
    room.fromCustomer({ type: 'events', seq: 1, events: [1] });
    agent.bufferedAmount = 5_000;
    room.fromCustomer({ type: 'events', seq: 2, events: [2] });
    room.fromCustomer({ type: 'chunk', seq: 3, part: 0, parts: 2, data: '{' });
    expect(customer.take()).toEqual([]);
    agent.bufferedAmount = 0;
    room.fromCustomer({ type: 'events', seq: 4, events: [4] });
    room.fromCustomer({ type: 'events', seq: 5, events: [5] });
    expect(agent.take().map((message) => message.type === 'events' && message.seq)).toEqual([1, 4, 5]);
    expect(customer.take()).toEqual([{ type: 'agent', message: { type: 'resync' } }]);
  });

  it('waits for the customer while the page reloads, refusing agent messages meanwhile', () => {
    const { room, customer, agent } = roomWith();
    room.fromCustomer({ type: 'consent', level: 'view', granted: true });
    agent.take();
    room.customerGone(customer);
    expect(room.state).toBe('reconnecting');
    expect(agent.take()).toEqual([{ type: 'state', state: 'reconnecting', consent: ['view'], page: PAGE }]);
    expect(() => room.fromAgent({ type: 'pointer', x: 1, y: 1 })).toThrow(/loading again/);
    const reloaded = new FakeCustomer();
    const page = { url: 'https://shop.example/payment', title: 'Pay' };
    room.resumed(reloaded, page);
    expect(reloaded.take()).toEqual([
      {
        type: 'resumed',
        agent: { displayName: 'Lin' },
        consent: ['view'],
        masking: maskingPolicyFor('frontline', []),
      },
    ]);
    expect(agent.take()).toEqual([{ type: 'state', state: 'live', consent: ['view'], page }]);
    // The old socket's late close changes nothing.
    room.customerGone(customer);
    expect(room.state).toBe('live');
    room.end('customer');
  });

  it('ends once, even when telling the agent ends the agent’s session (which ends the room again)', () => {
    const { room, customer, agent, ended } = roomWith();
    const send = agent.send.bind(agent);
    agent.send = (text) => {
      agent.end('signed_out');
      return send(text);
    };
    room.fromCustomer({ type: 'consent', level: 'view', granted: true });
    expect(ended).toEqual(['s1']);
    expect(customer.closed).toBe(true);
    expect(customer.frames.at(-1)).toEqual({ type: 'ended', by: 'gateway', reason: 'agent_signed_out' });
    expect(room.isEnded).toBe(true);
    room.end('customer');
    expect(ended).toEqual(['s1']);
  });
});
