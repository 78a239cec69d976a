import type { TFunction } from 'i18next';

/** The type a co-browse session is recorded under in its call's actions. */
export const COBROWSE_CALL_ACTION = 'cobrowse';

/** A call action's name for the agent: an order action's, or a co-browse session's. */
export function callActionName(t: TFunction, type: string): string {
  if (type === COBROWSE_CALL_ACTION) return t('cobrowse.callAction');
  return t(`actions.names.${type}`, { defaultValue: type });
}
