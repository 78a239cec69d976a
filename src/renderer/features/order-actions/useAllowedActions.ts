import { useEffect, useState } from 'react';
import type { VisibleOrder } from '../../../shared/visibility';
import { DeskError, type ErrorInfo } from '../../../shared/errors';
import type { AllowedAction } from '../../../shared/rules/types';
import { desk } from '../../app/desk';

export type AllowedActionsState =
  | { status: 'loading' }
  | { status: 'ready'; actions: AllowedAction[] }
  | { status: 'failed'; error: ErrorInfo };

/** What the agent may do with this version of the order, as the gateway's rules answer it. */
export function useAllowedActions(order: Pick<VisibleOrder, 'id' | 'version'>): AllowedActionsState {
  const key = `${order.id}@${order.version}`;
  const [state, setState] = useState<{ key: string; value: AllowedActionsState }>({
    key,
    value: { status: 'loading' },
  });
  useEffect(() => {
    let current = true;
    desk.orders.allowedActions({ orderId: order.id }).then(
      ({ actions }) => current && setState({ key, value: { status: 'ready', actions } }),
      (err: unknown) =>
        current && setState({ key, value: { status: 'failed', error: DeskError.from(err).toInfo() } }),
    );
    return () => {
      current = false;
    };
  }, [key, order.id]);
  // A new version starts from loading: never show the previous version's answer as this one's.
  return state.key === key ? state.value : { status: 'loading' };
}
