/**
 * The shop's after-sales policy the rules apply. Defaults follow China's 7-day no-reason return
 * rule (七天无理由退货) and a 30-day price protection; a deployment passes its own.
 */
export interface RulePolicy {
  /** Days after delivery in which items can be returned or exchanged. */
  returnWindowDays: number;
  /** Categories never returnable without a fault: hygiene goods, vouchers, food. */
  excludedCategories: readonly string[];
  /** Days after payment in which a price drop is refunded (价保). */
  priceProtectionDays: number;
}

/** Matches the demo catalog's non-returnable categories ('food' covers fresh food). */
export const DEFAULT_RULE_POLICY: RulePolicy = {
  returnWindowDays: 7,
  excludedCategories: ['underwear', 'digital_voucher', 'food', 'fresh_food'],
  priceProtectionDays: 30,
};

export const DAY_MS = 86_400_000;
