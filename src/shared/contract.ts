import type { AgentStateReport } from './agent-state';
import type {
  AutoSavedWrapUp,
  CallActionRecord,
  CallDispositionUpdate,
  CallRecord,
  NewCallRecord,
} from './call-history';
import type {
  DeskStatusReport,
  HotkeyPressed,
  NotificationAction,
  RingingNotice,
  ShownNotification,
} from './desktop';
import type { AgentUser } from './domain';
import type { VisibleOrder } from './visibility';
import type { ErrorInfo } from './errors';
import type { PhoneSettingsPatch, PhoneSettingsView, SipCredentials } from './phone-settings';
import type {
  ActionRequest,
  ActionResult,
  GatewayParams,
  GatewayResult,
  OrderSearchQuery,
  OrderSearchResult,
} from './protocol';
import type { RefundQuote } from './rules/types';
import type {
  CacheAge,
  CachedOrderSummary,
  DismissOfflineTaskArgs,
  OfflineState,
  QueuedActionResult,
} from './offline';
import type { RoleView } from './role-views';
import type { Approval } from './protocol';
import type {
  CobrowseEndReason,
  CobrowseState,
  ConsentLevel,
  CustomerMessage,
  PageInfo,
} from './cobrowse-protocol';

/**
 * The IPC contract: every method and event the renderer may use.
 *
 * The lists below are the data; the interfaces are the types. The preload, main/ipc.ts and the
 * test harness's bridge are all generated from the lists, so they cannot drift: a method missing
 * from a list or from `ContractMethods` is a compile error (see the `satisfies` checks).
 */

export type Language = 'zh-CN' | 'en';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

export interface AppInfo {
  version: string;
  platform: string;
  /** 'electron' in the real app, 'harness' when served by test/harness. */
  host: 'electron' | 'harness';
}

export interface Settings {
  language: Language;
  /** Last gateway URL the agent signed in to (pre-fills the login form). */
  gatewayUrl: string;
  /** Gateway used by the demo sign-in, if the host runs one. */
  demoGatewayUrl: string | null;
}

export type ConnectionStatus = 'signed_out' | 'connecting' | 'online' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** ISO time the status was entered. */
  since: string;
  /** Why the connection is offline (stable code), if it is. */
  reason: ErrorInfo | null;
}

export interface SessionState {
  user: AgentUser | null;
  gatewayUrl: string | null;
}

export interface LoginArgs {
  gatewayUrl: string;
  username: string;
  password: string;
}

/** Request and response type of every method. */
export interface ContractMethods {
  'app.info': { args: void; result: AppInfo };
  'settings.get': { args: void; result: Settings };
  'settings.set': { args: Partial<Pick<Settings, 'language'>>; result: Settings };
  'session.get': { args: void; result: SessionState };
  'session.login': { args: LoginArgs; result: SessionState };
  'session.loginDemo': { args: void; result: SessionState };
  'session.logout': { args: void; result: SessionState };
  'connection.get': { args: void; result: ConnectionState };
  /** `fromCache`: answered by the local cache while the gateway is unreachable. */
  'orders.search': { args: OrderSearchQuery; result: CachedSearchResult & CachedList };
  /**
   * The same search over this computer's cache only, online or not: what the desk shows while
   * `orders.search` waits for the gateway. Empty when the cache is off. Pages with its own cursors.
   */
  'orders.searchCached': { args: OrderSearchQuery; result: CachedSearchResult };
  /** `cachedAt` is set when the order came from the local cache (gateway unreachable). */
  'orders.get': { args: { id: string }; result: VisibleOrder & CacheAge };
  /** A customer's orders, newest first. */
  'orders.byCustomer': { args: GatewayParams<'orders.byCustomer'>; result: CachedSearchResult & CachedList };
  /** One order by its display number (what callers read out or type in the IVR). */
  'orders.find': { args: { displayNumber: string }; result: VisibleOrder & CacheAge };
  /** Every action on the order, allowed or not, with the reasons (for the agent's role). */
  'orders.allowedActions': { args: { orderId: string }; result: GatewayResult<'orders.allowedActions'> };
  'orders.quote': { args: GatewayParams<'orders.quote'>; result: RefundQuote };
  /**
   * Fails with VERSION_CONFLICT (details.currentOrder) or NOT_ELIGIBLE (details.reasons).
   * Offline: outcome 'queued' (sent from the outbox when the gateway is back).
   */
  'orders.action': { args: ActionRequest; result: ActionResult | QueuedActionResult };
  'phone.settings': { args: void; result: PhoneSettingsView };
  'phone.configure': { args: PhoneSettingsPatch; result: PhoneSettingsView };
  /** SIP credentials for this session (null while the phone is not configured). */
  'phone.credentials': { args: void; result: SipCredentials | null };
  /** Reports the agent's state to the gateway (resent after a data outage). */
  'agent.setState': { args: AgentStateReport; result: void };
  'calls.record': { args: NewCallRecord; result: CallRecord };
  'calls.setDisposition': { args: CallDispositionUpdate; result: CallRecord };
  /** After-call work ended without a save: the wrap-up so far, saved once (see AutoSavedWrapUp). */
  'calls.autoSaveWrapUp': { args: AutoSavedWrapUp; result: CallRecord };
  'calls.recent': { args: { limit: number }; result: CallRecord[] };
  /** A call rings: main shows a native notification if the window is not in front. */
  'desktop.ringing': { args: RingingNotice; result: { notified: boolean } };
  'desktop.ringingStopped': { args: { callId: string }; result: void };
  /** Phone and agent state for the tray icon. */
  'desktop.status': { args: DeskStatusReport; result: void };
  // ---- offline work (outbox and tasks) ----
  /** Requests queued while offline and the refusals waiting for the agent. */
  'offline.get': { args: void; result: OfflineState };
  /** The agent has dealt with a refused request. */
  'offline.dismissTask': { args: DismissOfflineTaskArgs; result: OfflineState };
  // ---- wrap-up: actions linked to calls, exchange replacements (WRAPUP) ----
  /** Adds an action to the call's record (the call may still be going on). */
  'calls.addAction': { args: CallActionRecord; result: void };
  /** The variants an item may be exchanged for (the gateway's exchange rule accepts only these). */
  'orders.replacements': {
    args: GatewayParams<'orders.replacements'>;
    result: GatewayResult<'orders.replacements'>;
  };
  // ---- abnormal orders (ABNORMAL-SEARCH) ----
  /** The abnormal-orders queue: a page and the counts per type (online only). */
  'orders.abnormal': { args: GatewayParams<'orders.abnormal'>; result: GatewayResult<'orders.abnormal'> };
  // ---- roles: views, reveal, approvals, team (ROLES-DESK) ----
  /** The signed-in user's role view (as delivered at sign-in or by the last 'view.changed'). */
  'views.current': { args: void; result: RoleView };
  /** Admin: every role's view. */
  'views.list': { args: void; result: GatewayResult<'views.list'> };
  /** Admin: saves a role's layout; a stale expectedVersion fails with VERSION_CONFLICT. */
  'views.save': { args: GatewayParams<'views.save'>; result: RoleView };
  /** The unmasked value of one masked field, with a reason (audited on the gateway; never cached). */
  'orders.reveal': { args: GatewayParams<'orders.reveal'>; result: GatewayResult<'orders.reveal'> };
  /** Supervisor/admin: the approval queue. */
  'approvals.list': { args: GatewayParams<'approvals.list'>; result: GatewayResult<'approvals.list'> };
  'approvals.decide': { args: GatewayParams<'approvals.decide'>; result: GatewayResult<'approvals.decide'> };
  /** Supervisor/admin: the team's agents, states and calls. */
  'team.list': { args: void; result: GatewayResult<'team.list'> };
  // ---- co-browse (desk side) ----
  /**
   * Joins the session a customer's code opened, linked to the call (its interaction id) and the
   * order the renderer passes. NOT_FOUND: wrong, used or expired code; RATE_LIMITED (with
   * retryAfterMs): too many wrong codes; FORBIDDEN: the role may not co-browse.
   */
  'cobrowse.join': { args: GatewayParams<'cobrowse.join'>; result: CobrowseSession };
  /** Sends into a session this desk joined, if the customer's consent covers the message. */
  'cobrowse.send': { args: GatewayParams<'cobrowse.send'>; result: void };
  /** Leaves and ends a session this desk joined (a `cobrowse.message` 'ended' follows). */
  'cobrowse.leave': { args: GatewayParams<'cobrowse.leave'>; result: void };
  /** The sessions this desk has joined and not left (a reloaded window takes them up again). */
  'cobrowse.sessions': { args: void; result: CobrowseSession[] };
}

/** A co-browse session this desk joined, as main keeps it. */
export interface CobrowseSession {
  sessionId: string;
  state: CobrowseState;
  /** The consent levels in force (each needs the ones before it). */
  consent: ConsentLevel[];
  page: PageInfo | null;
  /** The call it was joined during (its SIP Call-ID), if any. */
  interactionId: string | null;
  orderId: string | null;
  joinedAt: string;
}

/** What the customer's side of a joined session sent or became (relayed by main as is). */
export interface CobrowseMessage {
  sessionId: string;
  message: CustomerMessage;
}

/**
 * Why main ended a session on its own (the `reason` of an 'ended' message it emits): the
 * gateway's words for the same ends, so the renderer translates one vocabulary.
 */
export const DESK_COBROWSE_END = {
  /** The agent left (`cobrowse.leave`). */
  left: 'agent_left',
  /** The agent signed out, or the gateway ended the sign-in. */
  signedOut: 'agent_signed_out',
  /** The connection to the gateway was lost: the room no longer reaches this desk. */
  connectionLost: 'agent_disconnected',
} as const satisfies Record<string, CobrowseEndReason>;

/** On list results: true when answered by the local cache. */
export interface CachedList {
  fromCache?: boolean;
}

/** A search page whose rows from the local cache say when they were cached. */
export interface CachedSearchResult extends Omit<OrderSearchResult, 'items'> {
  items: CachedOrderSummary[];
}

/** Payload of every event main pushes to the renderer. */
export interface ContractEvents {
  'connection.changed': ConnectionState;
  'session.changed': SessionState;
  'notification.shown': ShownNotification;
  'notification.action': NotificationAction;
  'hotkey.pressed': HotkeyPressed;
  /** An order changed on the gateway (any desk, webhook or the simulator), as of `seq`. */
  'order.changed': OrderChanged;
  /** The offline queue or the task list changed. */
  'offline.changed': OfflineState;
  // ---- roles (ROLES-DESK) ----
  /** A role's view was saved (the own role's: apply it; admins may hear of other roles too). */
  'view.changed': RoleView;
  /** An approval changed: decided for the agent who asked, or queued/decided for supervisors. */
  'approval.changed': Approval;
  /** Supervisors: an agent's state or call changed; reload the team. */
  'team.changed': Record<string, never>;
  // ---- co-browse ----
  /** A message from the customer's side of a joined session, or its end. */
  'cobrowse.message': CobrowseMessage;
}

export interface OrderChanged {
  seq: number;
  order: VisibleOrder;
}

export type MethodName = keyof ContractMethods;
export type EventName = keyof ContractEvents;
export type MethodArgs<M extends MethodName> = ContractMethods[M]['args'];
export type MethodResult<M extends MethodName> = ContractMethods[M]['result'];

type ExactList<T extends string, L extends readonly T[]> = [T] extends [L[number]] ? L : never;

export const METHOD_NAMES = [
  'app.info',
  'settings.get',
  'settings.set',
  'session.get',
  'session.login',
  'session.loginDemo',
  'session.logout',
  'connection.get',
  'orders.search',
  'orders.searchCached',
  'orders.get',
  'orders.byCustomer',
  'orders.find',
  'orders.allowedActions',
  'orders.quote',
  'orders.action',
  'phone.settings',
  'phone.configure',
  'phone.credentials',
  'agent.setState',
  'calls.record',
  'calls.setDisposition',
  'calls.autoSaveWrapUp',
  'calls.recent',
  'desktop.ringing',
  'desktop.ringingStopped',
  'desktop.status',
  'offline.get',
  'offline.dismissTask',
  // wrap-up
  'calls.addAction',
  'orders.replacements',
  // abnormal orders
  'orders.abnormal',
  // roles (ROLES-DESK)
  'views.current',
  'views.list',
  'views.save',
  'orders.reveal',
  'approvals.list',
  'approvals.decide',
  'team.list',
  // co-browse
  'cobrowse.join',
  'cobrowse.send',
  'cobrowse.leave',
  'cobrowse.sessions',
] as const satisfies readonly MethodName[];
// Fails to compile if a method of ContractMethods is missing from METHOD_NAMES.
export const methodNames: ExactList<MethodName, typeof METHOD_NAMES> = METHOD_NAMES;

export const EVENT_NAMES = [
  'connection.changed',
  'session.changed',
  'notification.shown',
  'notification.action',
  'hotkey.pressed',
  'order.changed',
  'offline.changed',
  // roles (ROLES-DESK)
  'view.changed',
  'approval.changed',
  'team.changed',
  // co-browse
  'cobrowse.message',
] as const satisfies readonly EventName[];
export const eventNames: ExactList<EventName, typeof EVENT_NAMES> = EVENT_NAMES;

/** IPC channel names: one per method, one for all events. */
export const ipcChannel = (method: MethodName): string => `agent-desk:${method}`;
export const EVENT_CHANNEL = 'agent-desk:event';

/** What every method call resolves to on the wire; the client turns failures into DeskError. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export interface EventMessage<E extends EventName = EventName> {
  event: E;
  payload: ContractEvents[E];
}

// ---- the API objects ------------------------------------------------------

type GroupOf<M> = M extends `${infer G}.${string}` ? G : never;
type LeafOf<M, G extends string> = M extends `${G}.${infer L}` ? L : never;
type Fn<M extends MethodName, R> =
  MethodArgs<M> extends void ? () => Promise<R> : (args: MethodArgs<M>) => Promise<R>;

type Grouped<Wrap extends 'envelope' | 'value'> = {
  [G in GroupOf<MethodName>]: {
    [L in LeafOf<MethodName, G>]: `${G}.${L}` extends infer M extends MethodName
      ? Fn<M, Wrap extends 'envelope' ? Envelope<MethodResult<M>> : MethodResult<M>>
      : never;
  };
};

type Subscribe = {
  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: ContractEvents[E]) => void): () => void;
};

/**
 * `window.agentDesk` as the preload (or the harness bridge) exposes it. Results come back as
 * envelopes because errors thrown across contextBridge lose everything but their message.
 */
export type AgentDeskBridge = Grouped<'envelope'> & Subscribe;

/** The renderer's view of the same API: failures are thrown as DeskError with a stable code. */
export type AgentDeskApi = Grouped<'value'> & Subscribe;
