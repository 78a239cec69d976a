import type { z } from 'zod';
import { DeskError } from '../../shared/errors';
import type { GatewayMethod, GatewayResult, gatewayMethods } from '../../shared/protocol';
import type { AuthService, Session } from '../auth/auth-service';
import type { OrderStore } from '../orders/order-store';

/** A method's params after validation (defaults applied). */
export type MethodParams<M extends GatewayMethod> = z.output<(typeof gatewayMethods)[M]['params']>;

export interface RequestContext {
  /** Null until the connection signs in or resumes a token. */
  session: Session | null;
  startSession(session: Session): void;
}

export type MethodHandler<M extends GatewayMethod> = (
  params: MethodParams<M>,
  context: RequestContext,
) => Promise<GatewayResult<M>>;

export type MethodHandlers = { [M in GatewayMethod]: MethodHandler<M> };

export function createMethodHandlers(deps: { auth: AuthService; orders: OrderStore }): MethodHandlers {
  return {
    'auth.login': async ({ username, password }, context) => {
      const { result, session } = await deps.auth.login(username, password);
      context.startSession(session);
      return result;
    },
    'orders.search': (criteria) => deps.orders.search(criteria),
    // Being built in parallel (issue 3); each answers UNKNOWN_METHOD until it lands.
    'auth.refresh': notYet('auth.refresh'),
    'auth.logout': notYet('auth.logout'),
    'events.subscribe': notYet('events.subscribe'),
    'events.unsubscribe': notYet('events.unsubscribe'),
    'orders.find': notYet('orders.find'),
    'orders.byCustomer': notYet('orders.byCustomer'),
    'orders.allowedActions': notYet('orders.allowedActions'),
    'orders.quote': notYet('orders.quote'),
    'orders.action': notYet('orders.action'),
    'orders.get': async ({ id }) => {
      const order = await deps.orders.get(id);
      if (!order) throw new DeskError('NOT_FOUND', `No order with id ${id}`);
      return { order };
    },
  };
}

function notYet(method: string): () => Promise<never> {
  return () => Promise.reject(new DeskError('UNKNOWN_METHOD', `${method} is not available yet`));
}
