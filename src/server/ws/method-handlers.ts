import type { z } from 'zod';
import { DeskError } from '../../shared/errors';
import type { GatewayMethod, GatewayResult, gatewayMethods } from '../../shared/protocol';
import { AgentStates } from '../agents/agent-states';
import type { AuthService, Session } from '../auth/auth-service';
import { EventStream, type EventSink, type EventStreamSource } from '../events/event-stream';
import type { OrderActions } from '../actions/order-actions';
import type { OrderChanges } from '../orders/order-changes';
import type { OrderStore } from '../orders/order-store';

/** A method's params after validation (defaults applied). */
export type MethodParams<M extends GatewayMethod> = z.output<(typeof gatewayMethods)[M]['params']>;

export interface RequestContext {
  /** Null until the connection signs in or resumes a token. */
  session: Session | null;
  startSession(session: Session): void;
  /** Signs the connection out (after auth.logout). */
  endSession(): void;
  /** Where this connection's event stream writes. */
  eventSink: EventSink;
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
}

export function createMethodHandlers(deps: MethodHandlerDeps): MethodHandlers {
  const agentStates = deps.agentStates ?? new AgentStates();
  return {
    'agent.setState': async (report, context) => {
      // Only signed-in connections reach a method that is not public.
      agentStates.record(context.session!.user.id, report);
      return {};
    },
    'auth.login': async ({ username, password }, context) => {
      const { result, session } = await deps.auth.login(username, password);
      context.startSession(session);
      return result;
    },
    'orders.search': (criteria) => deps.orders.search(criteria),
    'auth.refresh': async ({ refreshToken }, context) => {
      const { result, session } = await deps.auth.refresh(refreshToken);
      context.startSession(session);
      return result;
    },
    'auth.logout': async (_params, context) => {
      // Not public: the connection re-read its session for this request, so it has one.
      await deps.auth.logout(context.session!);
      context.endSession();
      return {};
    },
    // Only signed-in connections reach these (none is public).
    'orders.allowedActions': ({ orderId }, context) =>
      deps.actions.allowedActions(orderId, context.session!.user),
    'orders.quote': (params) => deps.actions.quote(params),
    'orders.action': (request, context) => deps.actions.act(request, context.session!.user),
    'events.subscribe': async ({ fromSeq }, context) => {
      const stream = await EventStream.open(deps.events, context.eventSink, fromSeq);
      context.replaceEventStream(stream);
      return { headSeq: stream.headSeq };
    },
    'events.head': async () => ({ headSeq: await deps.events.log.headSeq() }),
    'events.unsubscribe': async (_params, context) => {
      context.replaceEventStream(null);
      return {};
    },
    'orders.find': async (lookup) => {
      const order = await deps.orders.find(lookup);
      if (!order) throw new DeskError('NOT_FOUND', 'No order with that number');
      return { order };
    },
    'orders.byCustomer': (query) => deps.orders.listByCustomer(query),
    'orders.get': async ({ id }) => {
      const order = await deps.orders.get(id);
      if (!order) throw new DeskError('NOT_FOUND', `No order with id ${id}`);
      return { order };
    },
  };
}
