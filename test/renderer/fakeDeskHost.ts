import type { OfflineState } from '../../src/shared/offline';
import type {
  CobrowseSession,
  ConnectionState,
  ContractEvents,
  EventMessage,
  Envelope,
  EventName,
  Language,
  MethodArgs,
  MethodName,
  MethodResult,
  SessionState,
  Settings,
} from '../../src/shared/contract';
import { createBridge, type BridgeTransport } from '../../src/shared/contract-client';
import { DEMO_LOGIN, DEMO_PASSWORD, DEMO_USERS } from '../../src/shared/demo';
import type { AgentUser, Order, OrderSummary } from '../../src/shared/domain';
import { DeskError, type ErrorCode, type ErrorInfo } from '../../src/shared/errors';
import type { CallRecord } from '../../src/shared/call-history';
import { DEFAULT_PHONE_SETTINGS, type PhoneSettingsView } from '../../src/shared/phone-settings';
import { allowedActions } from '../../src/shared/rules/allowed-actions';
import { refundQuote } from '../../src/shared/rules/refund-quote';
import { DEFAULT_ROLE_LIMITS } from '../../src/shared/rules/role-limits';
import { fixtureOrders } from './fixtures';
import { ABNORMAL_TYPES, abnormalitiesOf, type AbnormalOrderItem } from '../../src/shared/abnormal';
import type { OrderSearchQuery } from '../../src/shared/protocol';
// ---- roles (ROLES-DESK) ----
import type { Approval, TeamMember } from '../../src/shared/protocol';
import { defaultRoleView, layoutProblems, RoleViewLayout, type RoleView } from '../../src/shared/role-views';
import type { Role } from '../../src/shared/domain';
import { fieldValue, type FieldPath } from '../../src/shared/visibility';
// ---- co-browse ----
import type { GatewayResult } from '../../src/shared/protocol';

type Handlers = { [M in MethodName]: (args: MethodArgs<M>) => MethodResult<M> };

export interface FakeHostOptions {
  signedIn?: boolean;
  language?: Language;
  demoGatewayUrl?: string | null;
  /** Methods that fail with the given code from the start. */
  failing?: Partial<Record<MethodName, ErrorCode>>;
}

const GATEWAY_URL = 'ws://127.0.0.1:7400';

function demoUser(username: string): AgentUser | null {
  const user = DEMO_USERS.find((candidate) => candidate.username === username);
  return user ? { id: `usr_${user.username}`, ...user } : null;
}

function summarize(order: Order): OrderSummary {
  return {
    id: order.id,
    platform: order.platform,
    displayNumber: order.displayNumber,
    status: order.status,
    customerName: order.customer.name,
    customerPhone: order.customer.phone,
    total: order.payment.amount,
    itemCount: order.items.length,
    firstItemTitle: order.items[0]?.title ?? '',
    createdAt: order.createdAt,
  };
}

function matches(order: Order, text: string): boolean {
  if (!text) return true;
  const needle = text.toLowerCase();
  const digits = text.replace(/\D/g, '');
  return (
    order.displayNumber.toLowerCase().includes(needle) ||
    order.customer.name.toLowerCase().includes(needle) ||
    (digits.length >= 4 && order.customer.phone.includes(digits)) ||
    order.items.some((item) => item.title.toLowerCase().includes(needle))
  );
}

/**
 * An in-memory stand-in for the main process behind the real bridge code (createBridge over a
 * transport that calls these handlers), so components are tested through `window.agentDesk`
 * exactly as the preload exposes it.
 */
export class FakeDeskHost {
  // All state is (re)set by reset(), which the constructor calls.
  settings!: Settings;
  session!: SessionState;
  connection!: ConnectionState;
  orders!: Order[];
  /** Every call, in order, for assertions. */
  calls!: Array<{ method: MethodName; args: unknown }>;
  /** Methods that fail with the given code (or whole error, details included) instead of answering. */
  failures!: Map<MethodName, ErrorCode | ErrorInfo>;
  /** Orders in this computer's cache, as the role saw them when they were cached. */
  cachedOrders!: Order[];
  /** When `cachedOrders` were cached, as the cache's rows say; null: rows without it. */
  cachedOrdersAt!: string | null;
  /** Methods whose answers wait until released (a slow gateway, deterministically). */
  private holds!: Map<MethodName, Promise<void>>;
  private readonly inFlight = new Set<Promise<unknown>>();
  phone!: PhoneSettingsView;
  callRecords!: CallRecord[];
  /** Actions recorded for calls whose record does not exist yet (the call is still on). */
  pendingCallActions!: Map<string, CallRecord['actions']>;
  /** Offline work (outbox and tasks) as main would report it. */
  offlineState!: OfflineState;
  // ---- roles (ROLES-DESK) ----
  /** Every role's view as the gateway would store it. */
  views!: Map<Role, RoleView>;
  approvals!: Approval[];
  team!: TeamMember[];
  /** The unmasked values orders.reveal answers with (order id -> field -> value). */
  revealValues!: Map<string, Partial<Record<FieldPath, string>>>;
  // ---- co-browse ----
  /** The codes customers opened, and the session each joins (single use, as on the gateway). */
  cobrowseCodes!: Map<string, GatewayResult<'cobrowse.join'>>;
  /** The sessions joined and not left, as main keeps them. */
  cobrowseSessions!: Map<string, CobrowseSession>;
  private readonly listeners = new Set<(message: EventMessage) => void>();

  constructor() {
    this.reset();
  }

  reset({
    signedIn = false,
    language = 'en',
    demoGatewayUrl = null,
    failing = {},
  }: FakeHostOptions = {}): void {
    this.settings = { language, gatewayUrl: GATEWAY_URL, demoGatewayUrl };
    this.session = signedIn
      ? { user: demoUser('frontline'), gatewayUrl: GATEWAY_URL }
      : { user: null, gatewayUrl: null };
    this.connection = signedIn
      ? { status: 'online', since: '2025-03-05T09:00:00.000Z', reason: null }
      : { status: 'signed_out', since: '2025-03-05T09:00:00.000Z', reason: null };
    this.orders = structuredClone(fixtureOrders);
    this.calls = [];
    this.failures = new Map(Object.entries(failing) as Array<[MethodName, ErrorCode]>);
    this.cachedOrders = [];
    this.cachedOrdersAt = null;
    this.holds = new Map();
    this.phone = { ...structuredClone(DEFAULT_PHONE_SETTINGS), hasPassword: false, unavailableHotkeys: [] };
    this.callRecords = [];
    this.pendingCallActions = new Map();
    this.offlineState = { queued: 0, tasks: [] };
    this.views = new Map(
      (['frontline', 'logistics', 'after_sales', 'supervisor', 'admin'] as const).map((role) => [
        role,
        defaultRoleView(role),
      ]),
    );
    this.approvals = [];
    this.team = [];
    this.revealValues = new Map();
    this.cobrowseCodes = new Map();
    this.cobrowseSessions = new Map();
  }

  /** What an admin's save on the gateway does: store the view and push it to the desks. */
  pushView(view: RoleView): void {
    this.views.set(view.role, view);
    this.emit('view.changed', view);
  }

  private requireRole(...roles: Role[]): void {
    this.requireSession();
    if (!roles.includes(this.session.user!.role)) throw new DeskError('FORBIDDEN', 'not for this role');
  }

  emit<E extends EventName>(event: E, payload: ContractEvents[E]): void {
    for (const listener of this.listeners) listener({ event, payload });
  }

  /**
   * The next call of `method` waits until the returned function is called, then answers with
   * the state at that time (or fails as set then): a slow gateway, deterministically.
   */
  hold(method: MethodName): () => void {
    let release!: () => void;
    this.holds.set(method, new Promise<void>((done) => (release = done)));
    return () => release();
  }

  /** Resolves once every call made so far (held ones released) has been answered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  callsOf(method: MethodName): unknown[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  readonly transport: BridgeTransport = {
    invoke: async (method, args) => {
      this.calls.push({ method, args });
      const held = this.holds.get(method);
      this.holds.delete(method);
      const answer = (held ?? Promise.resolve()).then(() => this.answer(method, args));
      this.inFlight.add(answer);
      try {
        return await answer;
      } finally {
        this.inFlight.delete(answer);
      }
    },
    subscribe: (listener) => {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    },
  };

  private answer(method: MethodName, args: unknown): Envelope<unknown> {
    try {
      const failure = this.failures.get(method);
      if (typeof failure === 'string') throw new DeskError(failure, `${method} failed (test)`);
      if (failure) throw DeskError.from(failure);
      // The handler map is indexed by the same name the args belong to.
      const handler = this.handlers[method] as (args: unknown) => unknown;
      return { ok: true, value: structuredClone(handler(args)) };
    } catch (err) {
      return { ok: false, error: DeskError.from(err).toInfo() };
    }
  }

  private signIn(username: string, password: string, gatewayUrl: string): SessionState {
    const user = demoUser(username);
    if (!user || password !== DEMO_PASSWORD) throw new DeskError('UNAUTHENTICATED', 'bad credentials');
    this.session = { user, gatewayUrl };
    this.connection = { status: 'online', since: new Date().toISOString(), reason: null };
    this.emit('session.changed', this.session);
    this.emit('connection.changed', this.connection);
    return this.session;
  }

  private order(id: string): Order {
    this.requireSession();
    const order = this.orders.find((candidate) => candidate.id === id);
    if (!order) throw new DeskError('NOT_FOUND', `no order ${id}`);
    return order;
  }

  private requireSession(): void {
    if (!this.session.user) throw new DeskError('NOT_SIGNED_IN', 'signed out');
  }

  private readonly handlers: Handlers = {
    'app.info': () => ({ version: '0.0.0-test', platform: 'test', host: 'harness' }),
    'settings.get': () => this.settings,
    'settings.set': (patch) => (this.settings = { ...this.settings, ...patch }),
    'session.get': () => this.session,
    'session.login': ({ gatewayUrl, username, password }) => {
      const session = this.signIn(username, password, gatewayUrl);
      this.settings = { ...this.settings, gatewayUrl }; // Main remembers the address that worked.
      return session;
    },
    'session.loginDemo': () => {
      if (!this.settings.demoGatewayUrl) throw new DeskError('GATEWAY_UNAVAILABLE', 'no demo gateway');
      return this.signIn(DEMO_LOGIN.username, DEMO_LOGIN.password, this.settings.demoGatewayUrl);
    },
    'session.logout': () => {
      this.session = { user: null, gatewayUrl: null };
      this.connection = { status: 'signed_out', since: new Date().toISOString(), reason: null };
      this.emit('session.changed', this.session);
      this.emit('connection.changed', this.connection);
      return this.session;
    },
    'connection.get': () => this.connection,
    'orders.search': (query) => {
      this.requireSession();
      const { text = '' } = query;
      const items = this.orders
        .filter((order) => matches(order, text.trim()) && matchesFilters(order, query))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map(summarize);
      // Keyset paging as the gateway does it, with the position as the cursor.
      const from = query.cursor ? Number(query.cursor) : 0;
      const to = from + (query.limit ?? 50);
      return { items: items.slice(from, to), nextCursor: to < items.length ? String(to) : null };
    },
    'orders.searchCached': (query) => {
      this.requireSession();
      const { text = '' } = query;
      const items = this.cachedOrders
        .filter((order) => matches(order, text.trim()) && matchesFilters(order, query))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map((order) => ({
          ...summarize(order),
          ...(this.cachedOrdersAt ? { cachedAt: this.cachedOrdersAt } : {}),
        }));
      return { items, nextCursor: null };
    },
    'orders.get': ({ id }) => {
      this.requireSession();
      const order = this.orders.find((candidate) => candidate.id === id);
      if (!order) throw new DeskError('NOT_FOUND', `no order ${id}`);
      return order;
    },
    'orders.byCustomer': ({ customerId }) => {
      this.requireSession();
      const items = this.orders
        .filter((order) => order.customer.id === customerId)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map(summarize);
      return { items, nextCursor: null };
    },
    'orders.find': ({ displayNumber }) => {
      this.requireSession();
      const order = this.orders.find((candidate) => candidate.displayNumber === displayNumber);
      if (!order) throw new DeskError('NOT_FOUND', `no order ${displayNumber}`);
      return order;
    },
    // The shared rules answer as the gateway would (a frontline agent, now).
    'orders.allowedActions': ({ orderId }) => {
      const order = this.order(orderId);
      return {
        version: order.version,
        actions: allowedActions(order, 'frontline', DEFAULT_ROLE_LIMITS.frontline, new Date()),
      };
    },
    'orders.quote': ({ orderId, type, items = [], includeShipping = false }) =>
      refundQuote(this.order(orderId), { type, items, includeShipping }),
    // Notes only: enough to drive the action dialogs and the version check.
    'orders.action': ({ orderId, expectedVersion, action, interactionId }) => {
      const order = this.order(orderId);
      if (order.version !== expectedVersion) {
        throw new DeskError('VERSION_CONFLICT', 'stale', { currentOrder: structuredClone(order) });
      }
      if (action.type !== 'note')
        throw new DeskError('NOT_ELIGIBLE', 'fake host: notes only', { reasons: [] });
      order.notes.push({
        at: new Date().toISOString(),
        author: 'frontline',
        text: action.text,
        ...(interactionId ? { interactionId } : {}),
      });
      order.version += 1;
      return { outcome: 'applied', order: structuredClone(order), eventSeq: order.version };
    },
    'phone.settings': () => this.phone,
    'phone.configure': ({ password, ...patch }) => {
      const { phone } = this;
      this.phone = {
        sip: { ...phone.sip, ...patch.sip },
        callHandling: { ...phone.callHandling, ...patch.callHandling },
        hotkeys: { ...phone.hotkeys, ...patch.hotkeys },
        devices: { ...phone.devices, ...patch.devices },
        hasPassword: password === undefined ? phone.hasPassword : password !== null,
        unavailableHotkeys: [],
      };
      return this.phone;
    },
    // No SIP server in component tests: the phone stays unconfigured.
    'phone.credentials': () => null,
    'agent.setState': () => undefined,
    'calls.record': (call) => {
      const earlier = this.callRecords.find((r) => r.callId === call.callId);
      const record: CallRecord = {
        ...call,
        disposition: earlier?.disposition ?? null,
        note: earlier?.note ?? null,
        actions: [...(earlier?.actions ?? []), ...(this.pendingCallActions.get(call.callId) ?? [])],
        summary: earlier?.summary ?? null,
        autoSaved: earlier?.autoSaved ?? false,
      };
      this.pendingCallActions.delete(call.callId);
      this.callRecords = [...this.callRecords.filter((r) => r.callId !== call.callId), record];
      return record;
    },
    'calls.setDisposition': ({ callId, disposition, note, summary }) => {
      const record = this.callRecords.find((r) => r.callId === callId);
      if (!record) throw new DeskError('NOT_FOUND', `no call ${callId}`);
      Object.assign(record, { disposition, note }, summary ? { summary } : {});
      return record;
    },
    'calls.autoSaveWrapUp': ({ callId, disposition, note, summary }) => {
      const record = this.callRecords.find((r) => r.callId === callId);
      if (!record) throw new DeskError('NOT_FOUND', `no call ${callId}`);
      // As main's store: only a call with no wrap-up saved yet takes it.
      if (record.disposition === null && record.summary === null && !record.autoSaved) {
        Object.assign(record, { disposition, note, summary: summary ?? null, autoSaved: true });
      }
      return record;
    },
    'calls.recent': ({ limit }) => [...this.callRecords].reverse().slice(0, limit),
    'desktop.ringing': () => ({ notified: false }),
    'desktop.ringingStopped': () => undefined,
    'desktop.status': () => undefined,
    // ---- offline work ----
    'offline.get': () => this.offlineState,
    'offline.dismissTask': ({ id }) => {
      this.offlineState = {
        ...this.offlineState,
        tasks: this.offlineState.tasks.filter((task) => task.id !== id),
      };
      return this.offlineState;
    },
    // ---- wrap-up: actions linked to calls, exchange replacements ----
    'calls.addAction': ({ callId, action }) => {
      const record = this.callRecords.find((r) => r.callId === callId);
      if (record) record.actions = [...record.actions, action];
      else this.pendingCallActions.set(callId, [...(this.pendingCallActions.get(callId) ?? []), action]);
    },
    'orders.replacements': ({ orderId, sku }) => {
      const item = this.order(orderId).items.find((candidate) => candidate.sku === sku);
      if (!item) return { options: [] };
      return {
        options: [
          { sku, title: item.title, option: '', sameAsOrdered: true },
          ...['M', 'L'].map((size) => ({
            sku: `${sku}-${size}`,
            title: item.title,
            option: size,
            sameAsOrdered: false,
          })),
        ],
      };
    },
    // ---- abnormal orders (ABNORMAL-SEARCH): the shared rule over the fixtures, one page ----
    'orders.abnormal': ({ type, platforms, order: direction = 'oldest' }) => {
      this.requireSession();
      const onPlatform = this.orders.filter(
        (order) => !platforms || platforms.length === 0 || platforms.includes(order.platform),
      );
      const counts = Object.fromEntries(ABNORMAL_TYPES.map((kind) => [kind, 0]));
      const items: AbnormalOrderItem[] = [];
      for (const order of onPlatform) {
        const abnormalities = abnormalitiesOf(order);
        for (const abnormality of abnormalities) counts[abnormality.type]! += 1;
        const listed = type ? abnormalities.find((a) => a.type === type) : abnormalities[0];
        if (listed) items.push({ order: summarize(order), ...listed, abnormalities });
      }
      items.sort((a, b) => a.since.localeCompare(b.since) * (direction === 'oldest' ? 1 : -1));
      const total = onPlatform.filter((order) => abnormalitiesOf(order).length > 0).length;
      return { items, nextCursor: null, counts, total };
    },
    // ---- roles (ROLES-DESK): views, reveal, approvals, team ----
    'views.current': () => {
      this.requireSession();
      return this.views.get(this.session.user!.role)!;
    },
    'views.list': () => {
      this.requireRole('admin');
      return { views: [...this.views.values()] };
    },
    'views.save': ({ role, expectedVersion, layout }) => {
      this.requireRole('admin');
      const current = this.views.get(role)!;
      if (current.version !== expectedVersion) throw new DeskError('VERSION_CONFLICT', 'stale view');
      const parsed = RoleViewLayout.parse(layout);
      const problems = layoutProblems(role, parsed);
      if (problems.length > 0) throw new DeskError('BAD_REQUEST', problems.join('; '));
      const saved: RoleView = {
        role,
        layout: parsed,
        version: current.version + 1,
        updatedAt: new Date().toISOString(),
        updatedBy: this.session.user!.displayName,
      };
      this.pushView(saved);
      return saved;
    },
    'orders.reveal': ({ orderId, field }) => {
      const order = this.order(orderId);
      const value = this.revealValues.get(orderId)?.[field] ?? fieldValue(order, field);
      return { field, value: typeof value === 'string' ? value : null };
    },
    'approvals.list': (params) => {
      this.requireRole('supervisor', 'admin');
      const statuses = params?.statuses ?? ['pending'];
      return { items: this.approvals.filter((approval) => statuses.includes(approval.status)) };
    },
    'approvals.decide': ({ id, decision, reason = '' }) => {
      this.requireRole('supervisor', 'admin');
      const approval = this.approvals.find((candidate) => candidate.id === id);
      if (!approval) throw new DeskError('NOT_FOUND', `no approval ${id}`);
      if (approval.status !== 'pending') throw new DeskError('VERSION_CONFLICT', 'already decided');
      Object.assign(approval, {
        status: decision === 'approve' ? 'approved' : 'rejected',
        decidedBy: { id: this.session.user!.id, displayName: this.session.user!.displayName },
        decidedAt: new Date().toISOString(),
        decisionReason: reason.trim() || null,
      });
      this.emit('approval.changed', structuredClone(approval));
      return { approval };
    },
    'team.list': () => {
      this.requireRole('supervisor', 'admin');
      return { members: this.team };
    },
    // ---- co-browse: main's bookkeeping over a room the test drives with emit('cobrowse.message') ----
    'cobrowse.join': ({ code, interactionId, orderId }) => {
      this.requireSession();
      const found = this.cobrowseCodes.get(code);
      if (!found) throw new DeskError('NOT_FOUND', 'no session has this code');
      this.cobrowseCodes.delete(code);
      const session: CobrowseSession = {
        ...found,
        interactionId: interactionId ?? null,
        orderId: orderId ?? null,
        joinedAt: new Date().toISOString(),
      };
      this.cobrowseSessions.set(session.sessionId, session);
      return session;
    },
    'cobrowse.send': ({ sessionId }) => {
      if (!this.cobrowseSessions.has(sessionId)) throw new DeskError('NOT_FOUND', 'not joined');
    },
    'cobrowse.leave': ({ sessionId }) => {
      if (!this.cobrowseSessions.delete(sessionId)) throw new DeskError('NOT_FOUND', 'not joined');
      this.emit('cobrowse.message', {
        sessionId,
        message: { type: 'ended', by: 'agent', reason: 'agent_left' },
      });
    },
    'cobrowse.sessions': () => [...this.cobrowseSessions.values()],
  };
}

/** The search filters, as the gateway applies them. */
function matchesFilters(order: Order, query: OrderSearchQuery): boolean {
  const created = Date.parse(order.createdAt);
  return (
    (!query.statuses?.length || query.statuses.includes(order.status)) &&
    (!query.platforms?.length || query.platforms.includes(order.platform)) &&
    (!query.createdFrom || created >= Date.parse(query.createdFrom)) &&
    (!query.createdTo || created <= Date.parse(query.createdTo))
  );
}

export const fakeHost = new FakeDeskHost();

// Installed when this module is first imported, which must happen before anything imports
// src/renderer/app/desk.ts: the renderer reads window.agentDesk once, at startup, as in the app.
window.agentDesk = createBridge(fakeHost.transport);
