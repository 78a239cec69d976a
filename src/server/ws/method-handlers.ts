import type { z } from 'zod';
import { DeskError } from '../../shared/errors';
import type { GatewayMethod, GatewayResult, gatewayMethods } from '../../shared/protocol';
import { AgentStates } from '../agents/agent-states';
import type { AuthService, Session } from '../auth/auth-service';
import { EventStream, type EventSink, type EventStreamSource } from '../events/event-stream';
import type { OrderActions } from '../actions/order-actions';
import type { OrderChanges } from '../orders/order-changes';
import type { OrderStore } from '../orders/order-store';
import { abnormalOrdersFor } from '../orders/abnormal-orders';
import type { PersonalSearchGuard } from '../orders/personal-search-limits';
import { personalSearchOf, planOrderSearch } from '../orders/search-plan';
// ---- roles (ROLES-GATEWAY) ----
import type { Order, OrderSummary, Role } from '../../shared/domain';
import {
  ROLE_FIELD_POLICIES,
  visibleOrder,
  visibleSummary,
  type VisibleOrder,
  type VisibleOrderSummary,
} from '../../shared/visibility';
import type { ApprovalDecisions } from '../actions/approval-decisions';
import { requireRole } from '../auth/require-role';
import type { Team } from '../agents/team';
import type { FieldReveals } from '../views/field-reveals';
import type { SqliteRoleViews } from '../views/sqlite-role-views';
import { SUPERVISING_ROLES, type DeskRegistry } from './desk-registry';
// ---- end roles ----
import type { AgentLink } from './agent-link';
import type { CobrowseRooms } from '../cobrowse/cobrowse-rooms';

/** JSON bytes of orders in one orders.getMany answer, well inside the desk's 1 MB frame limit. */
const GET_MANY_BYTES_BUDGET = 512 * 1024;

/** A method's params after validation (defaults applied). */
export type MethodParams<M extends GatewayMethod> = z.output<(typeof gatewayMethods)[M]['params']>;

export interface RequestContext {
  /** The client's address (sign-in throttling counts tries per address). */
  remoteAddress: string;
  /** Null until the connection signs in or resumes a token. */
  session: Session | null;
  startSession(session: Session): void;
  /** Signs the connection out (after auth.logout). */
  endSession(): void;
  /** Where this connection's event stream writes. */
  eventSink: EventSink;
  /** This connection as a co-browse room sees it (the room's frames, the agent leaving). */
  agentLink: AgentLink;
  /** Runs `run` once this request's response has been sent (frames that must follow it). */
  afterResponse(run: () => void): void;
  /** The role of the connection's user now (re-read on every request), null once signed out. */
  currentRole(): Role | null;
  /**
   * Makes `stream` the connection's one event stream (null: none), stopping the previous one.
   * The new stream starts once this request's response has been sent, so the client reads the
   * subscribe answer before the first event.
   */
  replaceEventStream(stream: EventStream | null): void;
}

export type MethodHandler<M extends GatewayMethod> = (
  params: MethodParams<M>,
  context: RequestContext,
) => Promise<GatewayResult<M>>;

export type MethodHandlers = { [M in GatewayMethod]: MethodHandler<M> };

/** What the handlers use; one field per service, so more can be added without touching callers' shape. */
export interface MethodHandlerDeps {
  auth: AuthService;
  orders: OrderStore;
  /** The one write path for orders (actions, webhooks, simulator). */
  changes: OrderChanges;
  events: EventStreamSource;
  /** Allowed actions, quotes and the actions themselves (rules, idempotency, audit). */
  actions: OrderActions;
  /** The state each agent's desk last reported (a fresh in-memory one if not given). */
  agentStates?: AgentStates;
  // ---- roles (ROLES-GATEWAY) ----
  views: SqliteRoleViews;
  reveals: FieldReveals;
  /** The per-agent limit on searches by name or phone. */
  personalSearches: PersonalSearchGuard;
  approvals: ApprovalDecisions;
  team: Team;
  desks: DeskRegistry;
  // ---- end roles ----
  /** Co-browse sessions: agents join them by code, guide and leave them. */
  cobrowse: Pick<CobrowseRooms, 'join' | 'send' | 'leave'>;
}

export function createMethodHandlers(deps: MethodHandlerDeps): MethodHandlers {
  const agentStates = deps.agentStates ?? new AgentStates();
  return withheldInErrors({
    'agent.setState': async (report, context) => {
      // Only signed-in connections reach a method that is not public.
      agentStates.record(context.session!.user.id, report);
      deps.team.changed();
      return {};
    },
    // ---- roles (ROLES-GATEWAY) ----
    'views.get': async (params, context) => {
      const user = context.session!.user;
      const role = params?.role ?? user.role;
      if (role !== user.role) requireRole(context.session, ['admin'], "Another role's view");
      return deps.views.viewOf(role);
    },
    'views.list': async (_params, context) => {
      requireRole(context.session, ['admin'], 'Listing role views');
      return { views: deps.views.list() };
    },
    'views.save': async ({ role, expectedVersion, layout }, context) => {
      const admin = requireRole(context.session, ['admin'], 'Saving a role view');
      const view = deps.views.save(role, expectedVersion, layout, admin);
      deps.desks.notifyRole(role, { kind: 'view', view });
      return view;
    },
    'orders.reveal': (params, context) => deps.reveals.reveal(context.session!.user, params),
    'approvals.list': async (params, context) => {
      requireRole(context.session, SUPERVISING_ROLES, 'The approval queue');
      return { items: await deps.approvals.list(params?.statuses ?? ['pending'], params?.limit ?? 100) };
    },
    'approvals.decide': async (params, context) => {
      const approver = requireRole(context.session, SUPERVISING_ROLES, 'Deciding an approval');
      return { approval: await deps.approvals.decide(params, approver) };
    },
    'team.list': async (_params, context) => {
      const viewer = requireRole(context.session, SUPERVISING_ROLES, 'The team view');
      return { members: await deps.team.list(viewer) };
    },
    // ---- end roles ----
    'auth.login': async ({ username, password }, context) => {
      const { result, session } = await deps.auth.login(username, password, context.remoteAddress);
      context.startSession(session);
      return result;
    },
    // A role that sees contact data masked matches it only by what a caller says (the last 4
    // phone digits, the whole number, the whole name), never by a part it could extend one
    // character at a time (search-plan.ts); searches on names and phones are counted per agent.
    // What comes back is withheld as for any order.
    'orders.search': async (criteria, context) => {
      const user = context.session!.user;
      const contact = ROLE_FIELD_POLICIES[user.role].grants.contact;
      const personal = personalSearchOf(planOrderSearch(criteria.text, contact));
      if (personal !== null) await deps.personalSearches.admit(user, personal);
      return summariesFor(await deps.orders.search(criteria, contact), context);
    },
    // ---- abnormal orders (ABNORMAL-SEARCH) ----
    'orders.abnormal': (criteria, context) =>
      abnormalOrdersFor(deps.orders, criteria, context.session!.user, Date.now()),
    'auth.refresh': async ({ refreshToken }, context) => {
      const { result, session } = await deps.auth.refresh(refreshToken);
      context.startSession(session);
      return result;
    },
    'auth.logout': async (_params, context) => {
      // Not public: the connection re-read its session for this request, so it has one.
      const session = context.session!;
      // This connection signs out and stays open; other connections of the sign-in are ended.
      context.endSession();
      await deps.auth.logout(session);
      return {};
    },
    // Only signed-in connections reach these (none is public).
    'orders.allowedActions': ({ orderId }, context) =>
      deps.actions.allowedActions(orderId, context.session!.user),
    'orders.quote': (params) => deps.actions.quote(params),
    'orders.action': async (request, context) => {
      const result = await deps.actions.act(request, context.session!.user);
      // A new approval for the queue: supervisors' desks refresh it.
      if (result.outcome === 'pending_approval' && result.approvalId !== undefined) {
        const approval = await deps.approvals.get(result.approvalId);
        if (approval?.status === 'pending') deps.desks.notifySupervisors({ kind: 'approval', approval });
      }
      return { ...result, order: orderFor(result.order, context) };
    },
    // ---- wrap-up (WRAPUP): exchange replacements ----
    'orders.replacements': async ({ orderId, sku }) => ({
      options: await deps.actions.replacementOptions(orderId, sku),
    }),
    'events.subscribe': async ({ fromSeq }, context) => {
      // Frames follow the user's role as re-read on each request, so a role taken away applies.
      const subscribedAs = context.session!.user.role;
      const stream = await EventStream.open(
        deps.events,
        context.eventSink,
        fromSeq,
        () => context.currentRole() ?? subscribedAs,
      );
      context.replaceEventStream(stream);
      return { headSeq: stream.headSeq };
    },
    'events.head': async () => ({ headSeq: await deps.events.log.headSeq() }),
    'events.unsubscribe': async (_params, context) => {
      context.replaceEventStream(null);
      return {};
    },
    'orders.find': async (lookup, context) => {
      const order = await deps.orders.find(lookup);
      if (!order) throw new DeskError('NOT_FOUND', 'No order with that number');
      return { order: orderFor(order, context) };
    },
    'orders.byCustomer': async (query, context) =>
      summariesFor(await deps.orders.listByCustomer(query), context),
    'orders.get': async ({ id }, context) => {
      const order = await deps.orders.get(id);
      if (!order) throw new DeskError('NOT_FOUND', `No order with id ${id}`);
      return { order: orderFor(order, context) };
    },
    // Co-browse (src/server/cobrowse): the role's view must allow it; codes are limited per agent.
    'cobrowse.join': (params, context) => deps.cobrowse.join(params, context),
    'cobrowse.send': (params, context) => deps.cobrowse.send(params, context),
    'cobrowse.leave': (params, context) => deps.cobrowse.leave(params, context),
    'orders.getMany': async ({ ids }, context) => {
      const result: GatewayResult<'orders.getMany'> = { orders: [], missing: [], remaining: [] };
      let bytes = 0;
      for (const [index, id] of ids.entries()) {
        const order = await deps.orders.get(id);
        if (!order) {
          result.missing.push({ id, code: 'NOT_FOUND' });
          continue;
        }
        const visible = orderFor(order, context);
        bytes += Buffer.byteLength(JSON.stringify(visible));
        // The desk takes frames up to 1 MB: a page of unusually large orders is split.
        if (bytes > GET_MANY_BYTES_BUDGET && result.orders.length > 0) {
          result.remaining = ids.slice(index);
          break;
        }
        result.orders.push(visible);
      }
      return result;
    },
  });
}

// ---- roles (ROLES-GATEWAY): what leaves the gateway is what the role may see ----

function policyOf(context: RequestContext) {
  // Every order-returning method is non-public: the connection has a session.
  return ROLE_FIELD_POLICIES[context.session!.user.role];
}

/**
 * The stores and the log hold full orders (typed as the wire's VisibleOrder, of which a full
 * order is a case); this is the only way one reaches a client.
 */
function orderFor(order: VisibleOrder, context: RequestContext): VisibleOrder {
  return visibleOrder(order as Order, policyOf(context));
}

function summariesFor<T extends { items: VisibleOrderSummary[] }>(page: T, context: RequestContext): T {
  const policy = policyOf(context);
  return { ...page, items: page.items.map((item) => visibleSummary(item as OrderSummary, policy)) };
}

/**
 * A VERSION_CONFLICT carries the current order: withheld like any other, whichever method
 * raised it (actions now, others later).
 */
function withheldInErrors(handlers: MethodHandlers): MethodHandlers {
  const wrapped = {} as Record<GatewayMethod, MethodHandler<GatewayMethod>>;
  for (const method of Object.keys(handlers) as GatewayMethod[]) {
    const handler = handlers[method] as MethodHandler<GatewayMethod>;
    wrapped[method] = async (params, context) => {
      try {
        return await handler(params, context);
      } catch (err) {
        const currentOrder = err instanceof DeskError ? err.details?.currentOrder : undefined;
        if (!currentOrder || !context.session) throw err;
        throw new DeskError((err as DeskError).code, (err as DeskError).message, {
          ...(err as DeskError).details,
          currentOrder: orderFor(currentOrder, context),
        });
      }
    };
  }
  return wrapped as MethodHandlers;
}
// ---- end roles ----
