import type { RuleReason } from './types';

/**
 * Every rule reason code the rules produce, with the names of its params. The renderer
 * translates each code (zh-CN and en) and fills in the params; money params are integer minor
 * units with a `currency` param beside them.
 */
export const RULE_REASON_PARAMS = {
  // ---- why (not) ------------------------------------------------------------------------
  /** The agent's role may not take this action at all. */
  ROLE_NOT_PERMITTED: ['role'],
  /** The role may take the action, but its configured view (an admin's choice) leaves it out. */
  ACTION_NOT_IN_VIEW: ['role'],
  /** Cancelled, closed or refunded: nothing left to act on. */
  ORDER_NOT_ACTIVE: ['status'],
  /** Payment pending, only authorised or failed: there is no money to give back. */
  NOT_PAID: ['paymentStatus'],
  /** Everything paid has been refunded already. */
  FULLY_REFUNDED: [],
  /** Informational on an allowed refund: how much can still be refunded. */
  REFUNDABLE_REMAINING: ['amount', 'currency'],
  /** Refunding more than `limit` needs a supervisor's approval. */
  REFUND_ABOVE_LIMIT: ['limit', 'currency'],
  /** The role has no refund ceiling in this currency, so it cannot refund in it. */
  NO_REFUND_LIMIT: ['currency'],
  /** Returns and exchanges start once the parcel is delivered. */
  NOT_DELIVERED: ['status'],
  /** Informational on an eligible item: days left in the return window. */
  RETURN_WINDOW_OPEN: ['daysLeft', 'windowDays'],
  RETURN_WINDOW_CLOSED: ['daysAgo', 'windowDays'],
  /** The item's category is excluded from no-reason returns (hygiene, vouchers, food). */
  CATEGORY_EXCLUDED: ['sku', 'category'],
  /** The platform marks this item as not returnable. */
  ITEM_NOT_RETURNABLE: ['sku'],
  /** Some (remainingQty > 0) or all units of the item are already returned or refunded. */
  ALREADY_RETURNED: ['sku', 'returnedQty', 'remainingQty'],
  /** No item of the order can be returned. */
  NO_RETURNABLE_ITEMS: [],
  /** The shipping label exists: the warehouse may already have packed the parcel. */
  LABEL_PRINTED: ['carrier', 'trackingNumber'],
  ALREADY_SHIPPED: ['carrier', 'trackingNumber'],
  ALREADY_DELIVERED: [],
  /** A fraud-suspect order: changes that move the goods need a supervisor. */
  FRAUD_SUSPECT: [],
  /** Informational on an allowed address change of a paid order: it gets a risk flag. */
  ADDRESS_CHANGE_FLAGGED: [],
  /** Informational on an allowed cancel of a paid order: the payment is refunded. */
  CANCEL_REFUNDS_PAYMENT: ['amount', 'currency'],

  // ---- item selection and amounts of one action -----------------------------------------
  UNKNOWN_ITEM: ['sku'],
  /** Exchange: the replacement is not one of the item's variants the catalogue offers. */
  REPLACEMENT_NOT_OFFERED: ['sku', 'replacementSku'],
  DUPLICATE_ITEM: ['sku'],
  QTY_EXCEEDS_REMAINING: ['sku', 'requested', 'remaining'],
  CURRENCY_MISMATCH: ['expected', 'actual'],
  REFUND_AMOUNT_EXCEEDS_MAXIMUM: ['amount', 'maximum', 'currency'],
  /** The refund would be zero. */
  NOTHING_TO_REFUND: [],

  // ---- how a quote was reached (RefundQuote.notes) ---------------------------------------
  /** Order-level coupons and promotions deducted from these items, prorated by value. */
  COUPON_PRORATED: ['amount', 'currency'],
  SHIPPING_INCLUDED_WHOLE_ORDER: ['amount', 'currency'],
  SHIPPING_INCLUDED_ON_REQUEST: ['amount', 'currency'],
  /** A partial refund leaves the shipping fee paid. */
  SHIPPING_NOT_REFUNDED: ['amount', 'currency'],
  PRICE_PROTECTION: ['sku', 'amount', 'currency'],
  PRICE_NOT_DROPPED: ['sku'],
  PRICE_PROTECTION_WINDOW_CLOSED: ['daysAgo', 'windowDays'],
  /** Refunds already made or committed on this order. */
  ALREADY_REFUNDED: ['amount', 'currency'],
  /** The quote was cut to what is still refundable (paid minus refunded). */
  CAPPED_AT_REFUNDABLE: ['amount', 'currency'],
  /** An exchange swaps goods: no money moves. */
  EXCHANGE_NO_REFUND: [],

  // ---- what to do instead (AllowedAction.alternatives) -----------------------------------
  ESCALATE_TO_SUPERVISOR: [],
  REQUEST_CARRIER_INTERCEPT: ['carrier', 'trackingNumber'],
  RETURN_AFTER_DELIVERY: [],
  CANCEL_ORDER: [],
  START_RETURN: [],
  REFUND_WITHIN_LIMIT: ['limit', 'currency'],
} as const satisfies Record<string, readonly string[]>;

export type RuleReasonCode = keyof typeof RULE_REASON_PARAMS;
type ParamsOf<C extends RuleReasonCode> = Record<(typeof RULE_REASON_PARAMS)[C][number], string | number>;

/** A reason with exactly the params its code declares (checked by the compiler). */
export function reason<C extends RuleReasonCode>(
  code: C,
  ...params: (typeof RULE_REASON_PARAMS)[C] extends readonly [] ? [] : [ParamsOf<C>]
): RuleReason {
  return { code, params: params[0] ?? {} };
}

/** The reasons without repeats (same code and params), in first-seen order. */
export function uniqueReasons(reasons: readonly RuleReason[]): RuleReason[] {
  const seen = new Set<string>();
  return reasons.filter((candidate) => {
    const key = `${candidate.code}${JSON.stringify(candidate.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
