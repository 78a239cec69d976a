import type { Role } from '../domain';
import type { ActionType } from './types';

/**
 * Which actions each role may take at all. Logistics handles delivery questions: it changes
 * addresses and writes notes, but never gives money back or cancels.
 */
export const ROLE_ACTIONS: Readonly<Record<Role, readonly ActionType[]>> = {
  frontline: ['refund', 'return', 'exchange', 'cancel', 'address_change', 'note'],
  logistics: ['address_change', 'note'],
  after_sales: ['refund', 'return', 'exchange', 'cancel', 'address_change', 'note'],
  supervisor: ['refund', 'return', 'exchange', 'cancel', 'address_change', 'note'],
  admin: ['refund', 'return', 'exchange', 'cancel', 'address_change', 'note'],
};

/** Roles that may move the goods of an order held as a fraud suspect. */
export const RISK_CLEARING_ROLES: readonly Role[] = ['supervisor', 'admin'];

export function roleMayTake(role: Role, action: ActionType): boolean {
  return ROLE_ACTIONS[role].includes(action);
}
