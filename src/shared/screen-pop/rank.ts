import type { AfterSalesCase, Shipment } from '../domain';
import type { VisibleOrder as Order } from '../visibility';
import type { RuleReason } from '../rules/types';
import { callReason } from './call-reasons';

/** What the call tells us about the order the caller means. */
export interface CallSignals {
  /** The X-Order-Id header: an order id or display number. */
  orderRef: string | null;
  /** Digit strings the caller typed in the IVR (X-IVR-* headers). */
  ivrDigits: readonly string[];
}

export interface RankOptions {
  /** A parcel in transit without a carrier scan for this many days counts as stuck. */
  stuckAfterDays: number;
}

export const DEFAULT_RANK_OPTIONS: RankOptions = { stuckAfterDays: 3 };

export interface RankedOrder {
  order: Order;
  /** Why it is where it is, strongest first. */
  reasons: RuleReason[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const OPEN_CASE_STATUSES: ReadonlySet<AfterSalesCase['status']> = new Set([
  'open',
  'approved',
  'in_transit',
  'received',
]);
const MOVING_SHIPMENT_STATUSES: ReadonlySet<Shipment['status']> = new Set([
  'label_created',
  'in_transit',
  'out_for_delivery',
]);

// Signal weights: a named order beats everything, an open case beats a parcel problem, and
// recency only breaks ties.
const WEIGHT = { named: 1000, openCase: 100, parcelProblem: 50 } as const;

/**
 * Ranks a caller's orders by how likely the call is about each one: the order the caller named,
 * then open after-sales cases, then delivery problems, then the newest. Pure: same input, same
 * order, so the toast and the workspace always agree.
 */
export function rankOrdersForCall(
  orders: readonly Order[],
  signals: CallSignals,
  now: Date,
  options: RankOptions = DEFAULT_RANK_OPTIONS,
): RankedOrder[] {
  const scored = orders.map((order) => {
    const reasons: RuleReason[] = [];
    let score = 0;
    if (isNamed(order, signals)) {
      score += WEIGHT.named;
      reasons.push(callReason('ORDER_NUMBER_FROM_IVR', { displayNumber: order.displayNumber }));
    }
    const openCase = order.afterSales.find((entry) => OPEN_CASE_STATUSES.has(entry.status));
    if (openCase) {
      score += WEIGHT.openCase;
      reasons.push(callReason('OPEN_AFTER_SALES_CASE', { kind: openCase.kind, caseStatus: openCase.status }));
    }
    const parcelProblem = parcelProblemOf(order, now, options);
    if (parcelProblem) {
      score += WEIGHT.parcelProblem;
      reasons.push(parcelProblem);
    }
    if (reasons.length === 0) {
      const daysAgo = Math.max(0, Math.floor((now.getTime() - Date.parse(order.createdAt)) / DAY_MS));
      reasons.push(callReason('RECENT_ORDER', { daysAgo }));
    }
    return { order, reasons, score };
  });
  scored.sort((a, b) => b.score - a.score || Date.parse(b.order.createdAt) - Date.parse(a.order.createdAt));
  return scored.map(({ order, reasons }) => ({ order, reasons }));
}

function isNamed(order: Order, { orderRef, ivrDigits }: CallSignals): boolean {
  const ref = orderRef?.trim().toLowerCase();
  if (ref && (ref === order.id.toLowerCase() || ref === order.displayNumber.toLowerCase())) return true;
  const numberDigits = order.displayNumber.replace(/\D/g, '');
  return numberDigits !== '' && ivrDigits.includes(numberDigits);
}

function parcelProblemOf(order: Order, now: Date, { stuckAfterDays }: RankOptions): RuleReason | null {
  for (const shipment of order.shipments) {
    if (shipment.status === 'exception')
      return callReason('DELIVERY_EXCEPTION', { carrier: shipment.carrier });
  }
  for (const shipment of order.shipments) {
    if (!MOVING_SHIPMENT_STATUSES.has(shipment.status)) continue;
    const lastScan = Math.max(0, ...shipment.events.map((event) => Date.parse(event.at)));
    if (lastScan === 0) continue;
    const days = Math.floor((now.getTime() - lastScan) / DAY_MS);
    if (days >= stuckAfterDays) return callReason('PARCEL_STUCK', { carrier: shipment.carrier, days });
  }
  return null;
}
