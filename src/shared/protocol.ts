import { z } from 'zod';
import { AgentStateReport as AgentStateReport } from './agent-state';
import { AgentUser, Money, OrderStatus, Platform, IsoDateTime, ROLES, Role } from './domain';
import { RoleView, RoleViewLayout } from './role-views';
import { VisibleOrder, VisibleOrderSummary, WithholdableField } from './visibility';
import { ERROR_CODES } from './errors';
import { AbnormalOrdersPage, AbnormalOrdersQuery } from './abnormal';
import {
  AgentCobrowseMessage,
  CobrowseCode,
  CobrowseState,
  ConsentLevel,
  CustomerMessage,
} from './cobrowse-protocol';
import {
  ActionType,
  AllowedAction,
  ItemSelection,
  OrderAction,
  QuoteType,
  RefundQuote,
  RuleReason,
} from './rules/types';

/**
 * The wire protocol between the desktop and the gateway (`/v1/agent`).
 * JSON frames, validated with these schemas on both sides.
 */
export const PROTOCOL_VERSION = 1;
export const AGENT_WS_PATH = '/v1/agent';
/** Frames above this size are refused before parsing. */
export const MAX_FRAME_BYTES = 64 * 1024;

export const ErrorInfoSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z
    .object({
      /** On VERSION_CONFLICT: the order as it is now, so the agent can see what changed. */
      currentOrder: VisibleOrder.optional(),
      /** On NOT_ELIGIBLE / FORBIDDEN: why, as rule reasons the UI translates. */
      reasons: z.array(RuleReason).optional(),
      /** On RATE_LIMITED: how long until the same request may succeed. */
      retryAfterMs: z.number().int().nonnegative().optional(),
    })
    .optional(),
});

export const SEARCH_TEXT_MAX = 100;
export const SEARCH_LIMIT_MAX = 100;

// Control characters (a NUL pasted from another tool, a tab) mean nothing in a search and break
// SQLite's full-text query parser: they are read as spaces.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

export const OrderSearchQuery = z
  .object({
    /** Order number, phone digits (4+), customer name or product title; empty lists newest orders. */
    text: z
      .string()
      .max(SEARCH_TEXT_MAX)
      .transform((text) => text.replace(CONTROL_CHARACTERS, ' ').trim())
      .default(''),
    statuses: z.array(OrderStatus).max(OrderStatus.options.length).optional(),
    platforms: z.array(Platform).max(Platform.options.length).optional(),
    createdFrom: IsoDateTime.optional(),
    createdTo: IsoDateTime.optional(),
    limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).default(50),
    /** Opaque cursor from a previous page. */
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type OrderSearchQuery = z.input<typeof OrderSearchQuery>;

export const OrderSearchResult = z.object({
  items: z.array(VisibleOrderSummary),
  nextCursor: z.string().nullable(),
});
export type OrderSearchResult = z.infer<typeof OrderSearchResult>;

export const LoginParams = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
  })
  .strict();

export const LoginResult = z.object({
  /** Short-lived access token, sent in the hello of every (re)connection. */
  token: z.string(),
  expiresAt: IsoDateTime,
  /** Long-lived, single-use: `auth.refresh` trades it for a new pair. */
  refreshToken: z.string(),
  refreshExpiresAt: IsoDateTime,
  user: AgentUser,
  /** The workspace layout of the user's role (pushed again in a `view` notice when it changes). */
  view: RoleView,
});
export type LoginResult = z.infer<typeof LoginResult>;

// ---- events -------------------------------------------------------------

export const EVENT_KINDS = ['order.created', 'order.updated'] as const;

/** What caused an event: a platform webhook, an agent action, the demo simulator. */
export const EventCause = z.object({
  source: z.enum(['webhook', 'agent', 'simulator', 'system']),
  /** User id for agent actions, platform name for webhooks. */
  actor: z.string().optional(),
  /** The action type or webhook topic, e.g. 'refund' or 'orders/updated'. */
  action: z.string().optional(),
});
export type EventCause = z.infer<typeof EventCause>;

/**
 * One entry of the durable, totally ordered event log. Carries the whole order after the
 * change (not a diff), so applying it is idempotent: a client keeps the higher `version`.
 */
export const OrderEvent = z.object({
  seq: z.number().int().positive(),
  at: IsoDateTime,
  kind: z.enum(EVENT_KINDS),
  orderId: z.string(),
  version: z.number().int().nonnegative(),
  cause: EventCause,
  /** As the receiving agent's role may see it (see visibility.ts). */
  order: VisibleOrder,
});
export type OrderEvent = z.infer<typeof OrderEvent>;

export const SubscribeParams = z
  .object({
    /** The last seq the client applied (0 for none): the server replays every later event. */
    fromSeq: z.number().int().nonnegative(),
  })
  .strict();

export const SubscribeResult = z.object({
  /** The newest seq at subscription time; replay is complete once the client has applied it. */
  headSeq: z.number().int().nonnegative(),
});

// ---- actions --------------------------------------------------------------

// ---- wrap-up: actions linked to calls, exchange replacements (WRAPUP) ----------------------

/** A call's id (the SIP Call-ID): visible ASCII, no spaces. */
export const InteractionId = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\x21-\x7e]+$/);

/** A product variant an exchanged item may be replaced with (same product, same price). */
export const ReplacementOption = z.object({
  sku: z.string(),
  title: z.string(),
  /** The variant's option in words (size, colour), empty for the very item ordered. */
  option: z.string(),
  /** The same SKU as ordered: a like-for-like replacement unit. */
  sameAsOrdered: z.boolean(),
});
export type ReplacementOption = z.infer<typeof ReplacementOption>;

export const ReplacementsParams = z
  .object({ orderId: z.string().min(1).max(64), sku: z.string().min(1).max(64) })
  .strict();

// ---- end of wrap-up block -----------------------------------------------------------------

export const ActionRequest = z
  .object({
    orderId: z.string().min(1).max(64),
    /** The order version the agent saw: a stale one gets VERSION_CONFLICT. */
    expectedVersion: z.number().int().nonnegative(),
    /** Same key = same action: retries get the first result and apply nothing twice. */
    idempotencyKey: z
      .string()
      .min(8)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/),
    action: OrderAction,
    /** The call (SIP Call-ID) during or after which the agent acts: links the action to it. */
    interactionId: InteractionId.optional(),
  })
  .strict();
export type ActionRequest = z.input<typeof ActionRequest>;

export const ActionResult = z.object({
  /** 'pending_approval': above the agent's limit, queued for a supervisor. */
  outcome: z.enum(['applied', 'pending_approval']),
  order: VisibleOrder,
  /** The approval waiting for a supervisor (with 'pending_approval'). */
  approvalId: z.number().int().positive().optional(),
  /** The event that recorded the change (absent while pending approval). */
  eventSeq: z.number().int().positive().nullable(),
});
export type ActionResult = z.infer<typeof ActionResult>;

export const QuoteParams = z
  .object({
    orderId: z.string().min(1).max(64),
    type: QuoteType,
    items: z.array(ItemSelection).max(200).default([]),
    includeShipping: z.boolean().default(false),
  })
  .strict();

// ---- roles: views, reveal, approvals, team ----------------------------------------------

export const REVEAL_REASON_MIN = 5;
export const RevealParams = z
  .object({
    orderId: z.string().min(1).max(64),
    field: WithholdableField,
    /** Why the agent needs the value (kept in the audit log). */
    reason: z.string().trim().min(REVEAL_REASON_MIN).max(200),
  })
  .strict();

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'failed'] as const;
export const ApprovalStatus = z.enum(APPROVAL_STATUSES);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/** An action above the requesting agent's limit, waiting for (or decided by) a supervisor. */
export const Approval = z.object({
  id: z.number().int().positive(),
  orderId: z.string(),
  displayNumber: z.string(),
  orderVersion: z.number().int().nonnegative(),
  action: OrderAction,
  amount: Money.nullable(),
  /** Why it needs approval, as rule reasons the UI translates. */
  reasons: z.array(RuleReason),
  requestedBy: z.object({ id: z.string(), displayName: z.string() }),
  requestedAt: IsoDateTime,
  status: ApprovalStatus,
  decidedBy: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  decidedAt: IsoDateTime.nullable(),
  /** The supervisor's reason (required to reject), or why applying the approved action failed. */
  decisionReason: z.string().nullable(),
  /** The event that recorded the applied action, once approved and applied. */
  eventSeq: z.number().int().positive().nullable(),
});
export type Approval = z.infer<typeof Approval>;

export const DecideApprovalParams = z
  .object({
    id: z.number().int().positive(),
    decision: z.enum(['approve', 'reject']),
    reason: z.string().trim().max(500).default(''),
  })
  .strict()
  .refine((params) => params.decision === 'approve' || params.reason.length > 0, {
    message: 'a rejection needs a reason',
    path: ['reason'],
  });

/** One agent in the supervisor's team view. */
export const TeamMember = z.object({
  userId: z.string(),
  displayName: z.string(),
  role: Role,
  /** Whether a desk of this agent is connected now. */
  online: z.boolean(),
  /** The state the desk last reported (null: never reported since the gateway started). */
  state: AgentStateReport.nullable(),
  /** The call the agent is on, when on one: the other party (masked) and since when. */
  call: z.object({ remote: z.string(), since: IsoDateTime }).nullable(),
});
export type TeamMember = z.infer<typeof TeamMember>;

// ---- queue announcements (QUEUE-PREFETCH) ----------------------------------------------------

/** A caller number in E.164: "+" and 8 to 15 digits. */
export const E164Number = z.string().regex(/^\+[1-9]\d{7,14}$/, 'an E.164 number, e.g. +8613812345678');

/** At most this many waiting callers in one announcement (a queue's visible head, not its length). */
export const QUEUE_WAITING_MAX = 50;
/** A queue's name as the ACD knows it: lowercase letters, digits, "-" and "_". */
export const QueueName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/);

/** One caller waiting in the queue, as the ACD/PBX or IVR knows them. */
export const QueueCaller = z
  .object({
    /** The shop's customer id, when the IVR identified the caller. */
    customerId: z.string().trim().min(1).max(64).optional(),
    callerNumber: E164Number.optional(),
    /** An order number the caller typed in the IVR. */
    ivrOrderNumber: z.string().trim().min(1).max(64).optional(),
    /** When the caller entered the queue. */
    since: IsoDateTime,
  })
  .strict()
  .refine((caller) => caller.customerId ?? caller.callerNumber ?? caller.ivrOrderNumber, {
    message: 'a waiting caller needs a customerId, a callerNumber or an ivrOrderNumber',
  });
export type QueueCaller = z.infer<typeof QueueCaller>;

/**
 * What the ACD/PBX posts to the gateway (`POST /v1/queue/announce`): the callers waiting in a
 * queue now (a snapshot, not a change), and which desks serve it, by role and/or by username.
 */
export const QueueAnnouncement = z
  .object({
    queue: QueueName,
    roles: z.array(Role).max(ROLES.length).optional(),
    agents: z.array(z.string().trim().min(1).max(64)).max(200).optional(),
    waiting: z.array(QueueCaller).max(QUEUE_WAITING_MAX),
  })
  .strict()
  .refine((announcement) => (announcement.roles?.length ?? 0) + (announcement.agents?.length ?? 0) > 0, {
    message: 'name the roles and/or agents that serve the queue',
    path: ['roles'],
  });
export type QueueAnnouncement = z.input<typeof QueueAnnouncement>;

/**
 * A waiting caller as one desk receives it: the customer as the gateway identified them (from
 * the id, the number or the IVR order number), and the caller number as the desk's role may
 * see a phone number (masked unless the role receives contact data in full).
 */
export const QueueWaiting = z.object({
  customerId: z.string().nullable(),
  callerNumber: z.string().nullable(),
  ivrOrderNumber: z.string().nullable(),
  since: IsoDateTime,
});
export type QueueWaiting = z.infer<typeof QueueWaiting>;

/** `orders.getMany`: at most this many ids per call. */
export const GET_MANY_MAX = 100;

export const GetManyParams = z
  .object({
    ids: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(GET_MANY_MAX)
      .refine((ids) => new Set(ids).size === ids.length, { message: 'ids must not repeat' }),
  })
  .strict();

export const GetManyResult = z.object({
  /** The orders found, as the caller's role may see them, in the order asked. */
  orders: z.array(VisibleOrder),
  /** Ids with no answer, each with why (NOT_FOUND: no such order; FORBIDDEN: not for this role). */
  missing: z.array(z.object({ id: z.string(), code: z.enum(['NOT_FOUND', 'FORBIDDEN']) })),
  /** Ids left for another call because the answer reached its size budget: ask again. */
  remaining: z.array(z.string()),
});
export type GetManyResult = z.infer<typeof GetManyResult>;

// ---- end queue announcements ------------------------------------------------------------

/** Every request method: its params and its result schema. */
const OrderLookupParams = z.union([
  z.object({ displayNumber: z.string().trim().min(1).max(64) }).strict(),
  z.object({ platform: Platform, platformOrderId: z.string().trim().min(1).max(64) }).strict(),
]);

export const gatewayMethods = {
  'auth.login': { params: LoginParams, result: LoginResult },
  'auth.refresh': {
    params: z.object({ refreshToken: z.string().min(1).max(2048) }).strict(),
    result: LoginResult,
  },
  /** Revokes the connection's refresh token. */
  'auth.logout': { params: z.object({}).strict().optional(), result: z.object({}) },
  'events.subscribe': { params: SubscribeParams, result: SubscribeResult },
  'events.unsubscribe': { params: z.object({}).strict().optional(), result: z.object({}) },
  /** The newest seq in the log: where a client without a stored seq starts its subscription. */
  'events.head': { params: z.object({}).strict().optional(), result: SubscribeResult },
  /** By display number or by the platform's own order id. */
  'orders.find': { params: OrderLookupParams, result: z.object({ order: VisibleOrder }) },
  'orders.byCustomer': {
    params: z
      .object({
        customerId: z.string().min(1).max(64),
        limit: z.number().int().min(1).max(SEARCH_LIMIT_MAX).default(50),
        cursor: z.string().max(200).optional(),
      })
      .strict(),
    result: OrderSearchResult,
  },
  'orders.allowedActions': {
    params: z.object({ orderId: z.string().min(1).max(64) }).strict(),
    result: z.object({ version: z.number().int(), actions: z.array(AllowedAction) }),
  },
  'orders.quote': { params: QuoteParams, result: RefundQuote },
  'orders.action': { params: ActionRequest, result: ActionResult },
  'orders.search': { params: OrderSearchQuery, result: OrderSearchResult },
  // ---- abnormal orders (ABNORMAL-SEARCH) ----
  /** The abnormal-orders queue: a page of orders with their abnormalities, and counts per type. */
  'orders.abnormal': { params: AbnormalOrdersQuery, result: AbnormalOrdersPage },
  // ---- end abnormal orders ----
  'orders.get': {
    params: z.object({ id: z.string().min(1).max(64) }).strict(),
    result: z.object({ order: VisibleOrder }),
  },
  /** Several orders at once (a resync's refetch, a queue prefetch): role-filtered like orders.get. */
  'orders.getMany': { params: GetManyParams, result: GetManyResult },
  /** The caller's own role view; admins may name any role. */
  'views.get': {
    params: z.object({ role: Role.optional() }).strict().optional(),
    result: RoleView,
  },
  /** Admin: every role's view. */
  'views.list': { params: z.object({}).strict().optional(), result: z.object({ views: z.array(RoleView) }) },
  /** Admin: saves a role's layout (stale expectedVersion: VERSION_CONFLICT); audited, pushed live. */
  'views.save': {
    params: z
      .object({ role: Role, expectedVersion: z.number().int().nonnegative(), layout: RoleViewLayout })
      .strict(),
    result: RoleView,
  },
  /** The unmasked value of one masked field, where the role may reveal it; audited with the reason. */
  'orders.reveal': {
    params: RevealParams,
    result: z.object({ field: WithholdableField, value: z.string().nullable() }),
  },
  /** Supervisor/admin: approvals, pending first (default: pending only). */
  'approvals.list': {
    params: z
      .object({
        statuses: z.array(ApprovalStatus).max(APPROVAL_STATUSES.length).optional(),
        limit: z.number().int().min(1).max(200).default(100),
      })
      .strict()
      .optional(),
    result: z.object({ items: z.array(Approval) }),
  },
  /** Supervisor/admin: approve (the action is applied, re-checked against the order as it is now) or reject. */
  'approvals.decide': { params: DecideApprovalParams, result: z.object({ approval: Approval }) },
  /** Supervisor/admin: the team's agents, their states and calls. */
  'team.list': {
    params: z.object({}).strict().optional(),
    result: z.object({ members: z.array(TeamMember) }),
  },
  /**
   * Co-browse (src/shared/cobrowse.ts): joins the session a customer's code opened, if the
   * agent's role may co-browse; linked to the call and the order it is about. Wrong codes are
   * limited per agent and audited.
   */
  'cobrowse.join': {
    params: z
      .object({
        code: CobrowseCode,
        interactionId: InteractionId.optional(),
        orderId: z.string().min(1).max(100).optional(),
      })
      .strict(),
    result: z.object({
      sessionId: z.string(),
      state: CobrowseState,
      consent: z.array(ConsentLevel),
      page: z.object({ url: z.string(), title: z.string() }).nullable(),
    }),
  },
  /** Sends pointer, highlight, scroll, control and consent requests into a joined session. */
  'cobrowse.send': {
    params: z.object({ sessionId: z.string().min(1).max(64), message: AgentCobrowseMessage }).strict(),
    result: z.object({}),
  },
  /** Leaves and ends the session (the customer's page stops recording). */
  'cobrowse.leave': {
    params: z.object({ sessionId: z.string().min(1).max(64) }).strict(),
    result: z.object({}),
  },
  /** Exchange: the variants an item of the order may be replaced with (the exchange rule checks them). */
  'orders.replacements': {
    params: ReplacementsParams,
    result: z.object({ options: z.array(ReplacementOption) }),
  },
  /** The desk reports what the agent is doing (available, on a call, ...) for the team view. */
  'agent.setState': { params: AgentStateReport, result: z.object({}) },
} as const;

export type GatewayMethod = keyof typeof gatewayMethods;
export type GatewayParams<M extends GatewayMethod> = z.input<(typeof gatewayMethods)[M]['params']>;
export type GatewayResult<M extends GatewayMethod> = z.infer<(typeof gatewayMethods)[M]['result']>;

export function isGatewayMethod(name: string): name is GatewayMethod {
  return Object.prototype.hasOwnProperty.call(gatewayMethods, name);
}

/** Methods a connection may call before it is authenticated. */
export const PUBLIC_METHODS: readonly GatewayMethod[] = ['auth.login', 'auth.refresh'];

// ---- frames -------------------------------------------------------------

export const HelloFrame = z
  .object({
    type: z.literal('hello'),
    protocol: z.number().int(),
    client: z.object({ name: z.string().max(64), version: z.string().max(32) }).strict(),
    /** Resumes the session this access token stands for. */
    token: z.string().max(2048).optional(),
    /**
     * Instead of a token: renews the sign-in (as auth.refresh does) and resumes it, for a desk
     * whose access token expired while it was offline. The hello.ok carries the new pair.
     */
    refreshToken: z.string().min(1).max(2048).optional(),
  })
  .strict()
  .refine((hello) => hello.token === undefined || hello.refreshToken === undefined, {
    message: 'send a token or a refreshToken, not both',
  });

export const RequestFrame = z
  .object({
    type: z.literal('req'),
    id: z.string().min(1).max(64),
    method: z.string().min(1).max(64),
    params: z.unknown().optional(),
  })
  .strict();

export const ClientFrame = z.discriminatedUnion('type', [HelloFrame, RequestFrame]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type HelloFrame = z.infer<typeof HelloFrame>;
export type RequestFrame = z.infer<typeof RequestFrame>;

export const HelloOkFrame = z.object({
  type: z.literal('hello.ok'),
  protocol: z.number().int(),
  server: z.object({ name: z.string(), version: z.string() }),
  user: AgentUser.nullable(),
  /** After a hello with a refreshToken: the renewed sign-in (its refresh token replaces the one sent). */
  renewed: LoginResult.optional(),
});

export const ResponseFrame = z.union([
  z.object({ type: z.literal('res'), id: z.string(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('res'), id: z.string(), ok: z.literal(false), error: ErrorInfoSchema }),
]);

/** A live or replayed event, after `events.subscribe`. */
export const EventFrame = z.object({ type: z.literal('event'), event: OrderEvent });

/**
 * The server gave up streaming to this client (it fell too far behind, or asked for events
 * older than the log keeps): refetch what is open, then subscribe again from `headSeq`.
 */
export const ResyncFrame = z.object({
  type: z.literal('resync'),
  reason: z.enum(['slow_consumer', 'log_truncated']),
  headSeq: z.number().int().nonnegative(),
});

/**
 * Something the gateway tells a signed-in desk outside the order stream: its role's view
 * changed (an admin saved it), an approval it asked for was decided, (to supervisors) the
 * approval queue or the team changed, or the callers waiting in one of its queues changed.
 */
export const Notice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('view'), view: RoleView }),
  z.object({ kind: z.literal('approval'), approval: Approval }),
  z.object({ kind: z.literal('team') }),
  /** The callers waiting in a queue this desk serves (a snapshot): prefetch their orders. */
  z.object({ kind: z.literal('queue'), queue: z.string(), waiting: z.array(QueueWaiting), at: IsoDateTime }),
]);
export type Notice = z.infer<typeof Notice>;
export const NoticeFrame = z.object({ type: z.literal('notice'), notice: Notice });
export type NoticeFrame = z.infer<typeof NoticeFrame>;

/** What the customer's side of a joined co-browse session sent or became (relayed as is). */
export const CobrowseFrame = z.object({
  type: z.literal('cobrowse'),
  sessionId: z.string(),
  message: CustomerMessage,
});
export type CobrowseFrame = z.infer<typeof CobrowseFrame>;

/** An error not tied to a request (malformed frame, protocol mismatch). */
export const ErrorFrame = z.object({
  type: z.literal('error'),
  error: ErrorInfoSchema,
});

export const ServerFrame = z.union([
  HelloOkFrame,
  ResponseFrame,
  ErrorFrame,
  EventFrame,
  ResyncFrame,
  NoticeFrame,
  CobrowseFrame,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
export type HelloOkFrame = z.infer<typeof HelloOkFrame>;
export type ResponseFrame = z.infer<typeof ResponseFrame>;
export type EventFrame = z.infer<typeof EventFrame>;
export type ResyncFrame = z.infer<typeof ResyncFrame>;

export { ActionType };
