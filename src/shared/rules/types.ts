import { z } from 'zod';
import { Address, Money } from '../domain';

/**
 * Vocabulary of the business rules (allowed actions, eligibility, quotes). The functions live
 * beside this file; the gateway enforces them and the desktop shows the same answers.
 */

export const ACTION_TYPES = ['refund', 'return', 'exchange', 'cancel', 'address_change', 'note'] as const;
export const ActionType = z.enum(ACTION_TYPES);
export type ActionType = z.infer<typeof ActionType>;

/**
 * Why an action is (not) allowed, as a stable code plus parameters; the UI translates it,
 * e.g. { code: 'RETURN_WINDOW_CLOSED', params: { daysAgo: 3 } }.
 */
export const RuleReason = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
});
export type RuleReason = z.infer<typeof RuleReason>;

export const AllowedAction = z.object({
  action: ActionType,
  allowed: z.boolean(),
  /** Allowed but above the agent's limit: goes to a supervisor for approval. */
  needsApproval: z.boolean().default(false),
  reasons: z.array(RuleReason),
  /** What the agent can do instead (e.g. 'ESCALATE_TO_SUPERVISOR', 'REQUEST_CARRIER_INTERCEPT'). */
  alternatives: z.array(RuleReason).default([]),
});
export type AllowedAction = z.infer<typeof AllowedAction>;

export const ItemSelection = z
  .object({
    sku: z.string().min(1).max(64),
    qty: z.number().int().positive().max(10_000),
  })
  .strict();
export type ItemSelection = z.infer<typeof ItemSelection>;

/** One agent action on an order, validated on both sides. */
export const OrderAction = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('refund'),
      /** Items refunded; empty with `amount` for a goodwill/partial amount refund. */
      items: z.array(ItemSelection).max(200).default([]),
      includeShipping: z.boolean().default(false),
      /** Explicit amount for a partial refund; omitted = the quote's total. */
      amount: Money.optional(),
      reason: z.string().trim().min(1).max(500),
    })
    .strict(),
  z
    .object({
      type: z.literal('return'),
      items: z.array(ItemSelection).min(1).max(200),
      reason: z.string().trim().min(1).max(500),
    })
    .strict(),
  z
    .object({
      type: z.literal('exchange'),
      items: z
        .array(ItemSelection.extend({ replacementSku: z.string().min(1).max(64) }).strict())
        .min(1)
        .max(200),
      reason: z.string().trim().min(1).max(500),
    })
    .strict(),
  z.object({ type: z.literal('cancel'), reason: z.string().trim().min(1).max(500) }).strict(),
  z.object({ type: z.literal('address_change'), address: Address }).strict(),
  z.object({ type: z.literal('note'), text: z.string().trim().min(1).max(2000) }).strict(),
]);
export type OrderAction = z.infer<typeof OrderAction>;

export const QuoteLine = z.object({
  sku: z.string(),
  qty: z.number().int(),
  /** Price paid for these units after their share of order-level discounts. */
  amount: Money,
  /** Share of coupons/promotions deducted from these units (positive number). */
  couponShare: Money,
  /** Extra refund because the price dropped within the protection window. */
  priceProtection: Money,
});
export type QuoteLine = z.infer<typeof QuoteLine>;

export const RefundQuote = z.object({
  lines: z.array(QuoteLine),
  shipping: Money,
  total: Money,
  /** How the total was reached, in reason codes the UI translates. */
  notes: z.array(RuleReason),
});
export type RefundQuote = z.infer<typeof RefundQuote>;

/** Per-role limits, e.g. the refund ceiling above which a supervisor must approve. */
export const RoleLimits = z.object({
  /** Refund ceiling in minor units per currency; a missing currency means no refunds at all. */
  refundCeiling: z.record(z.string(), z.number().int().nonnegative()),
  /** No ceiling in any currency (supervisors, admins); `refundCeiling` is then ignored. */
  refundUnlimited: z.boolean().optional(),
});
export type RoleLimits = z.infer<typeof RoleLimits>;

/**
 * What a quote is for: giving goods' money back (refund without return, return), a swap
 * (exchange: no money moves), or the difference after a price drop (price protection, 价保).
 */
export const QuoteType = z.enum(['refund', 'return', 'exchange', 'price_protection']);
export type QuoteType = z.infer<typeof QuoteType>;
