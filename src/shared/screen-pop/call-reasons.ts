import type { RuleReason } from '../rules/types';

/**
 * Why screen pop ranked an order where it did, in the same code-plus-params shape as the rule
 * reasons, so the renderer translates both the same way.
 */
export const CALL_REASON_PARAMS = {
  /** The caller named this order (X-Order-Id header or digits typed in the IVR). */
  ORDER_NUMBER_FROM_IVR: ['displayNumber'],
  /** A return, exchange or refund case on the order is still being worked on. */
  OPEN_AFTER_SALES_CASE: ['kind', 'caseStatus'],
  /** The carrier reported a delivery problem. */
  DELIVERY_EXCEPTION: ['carrier'],
  /** The parcel has had no carrier scan for `days` days. */
  PARCEL_STUCK: ['carrier', 'days'],
  /** No other signal: how old the order is (newer is likelier). */
  RECENT_ORDER: ['daysAgo'],
} as const satisfies Record<string, readonly string[]>;

export type CallReasonCode = keyof typeof CALL_REASON_PARAMS;

export function callReason<C extends CallReasonCode>(
  code: C,
  params: Record<(typeof CALL_REASON_PARAMS)[C][number], string | number>,
): RuleReason {
  return { code, params };
}
