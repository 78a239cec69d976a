import type { AgentDeskApi } from '../../../shared/contract';
import { maskPhone, type VisibleCustomer, type VisibleOrder } from '../../../shared/visibility';
import { DeskError } from '../../../shared/errors';
import { rankOrdersForCall, type RankedOrder } from '../../../shared/screen-pop/rank';
import type { PhoneCall } from '../softphone/phone-call';
import { toE164 } from './caller-number';
import { callSignalsOf, customerIdOf } from './call-signals';

/** How many of the customer's newest orders are fetched whole and ranked. */
export const RANKED_ORDERS_LIMIT = 10;

export type CallerIdentity =
  | { kind: 'known'; customer: VisibleCustomer; ranked: RankedOrder[] }
  /** Nobody matched: the agent searches; `searchText` is the number to start from. */
  | { kind: 'unknown'; searchText: string };

type OrdersApi = Pick<AgentDeskApi['orders'], 'find' | 'get' | 'search' | 'byCustomer'>;

/**
 * Who is calling and which of their orders the call is likely about: the customer from
 * X-Customer-Id, else from the order named in X-Order-Id, else from the caller number in E.164
 * (only an exact phone match counts: a near match must never pop a stranger's orders).
 */
export async function identifyCaller(
  call: Pick<PhoneCall, 'remoteNumber' | 'headers'>,
  orders: OrdersApi,
  now: Date,
): Promise<CallerIdentity> {
  const signals = callSignalsOf(call.headers);
  const e164 = toE164(call.remoteNumber);
  const named = signals.orderRef ? await orNotFound(orders.find({ displayNumber: signals.orderRef })) : null;
  const customerId =
    customerIdOf(call.headers) ?? named?.customer.id ?? (e164 ? await customerIdByPhone(orders, e164) : null);
  const unknown: CallerIdentity = { kind: 'unknown', searchText: e164 ?? call.remoteNumber };
  if (!customerId) return unknown;

  const { items } = await orders.byCustomer({ customerId, limit: RANKED_ORDERS_LIMIT });
  const whole = await Promise.all(items.map((summary) => orders.get({ id: summary.id })));
  // The named order may be older than the newest few: it is ranked all the same.
  if (named && named.customer.id === customerId && !whole.some((order) => order.id === named.id)) {
    whole.push(named);
  }
  const customer = whole[0]?.customer;
  if (!customer) return unknown;
  return { kind: 'known', customer, ranked: rankOrdersForCall(whole, signals, now) };
}

async function customerIdByPhone(orders: OrdersApi, e164: string): Promise<string | null> {
  const { items } = await orders.search({ text: e164, limit: 20 });
  // The gateway matched the whole number's digits; a role that gets phones masked sees only
  // the last four, so the row is an exact match when its masked form equals the caller's
  // masked form (same length, same last digits, and it contains every digit of the number).
  const match = items.find(
    (summary) => summary.customerPhone === e164 || summary.customerPhone === maskPhone(e164),
  );
  return match ? (await orders.get({ id: match.id })).customer.id : null;
}

/** An order number the IVR heard may not exist: that is "no signal", not a failure. */
async function orNotFound(lookup: Promise<VisibleOrder>): Promise<VisibleOrder | null> {
  try {
    return await lookup;
  } catch (err) {
    if (DeskError.from(err).code === 'NOT_FOUND') return null;
    throw err;
  }
}
