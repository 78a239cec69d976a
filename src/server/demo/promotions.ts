import type { Promotion } from '../../shared/domain';
import type { SeededRandom } from './random';

interface PromotionRule {
  /** Absent for automatic promotions (no code typed at checkout). */
  code?: string;
  rule: string;
  minSubtotal: number;
  discount(subtotal: number, shippingFee: number): number;
  /** Free-shipping coupons come off the shipping fee, not the items (refund quotes care). */
  appliesTo?: 'shipping';
}

const percentOff = (percent: number) => (subtotal: number) => Math.round((subtotal * percent) / 100);
const fixedOff = (amount: number) => () => amount;
const freeShipping = (_subtotal: number, shippingFee: number) => shippingFee;

const RULES: Record<string, readonly PromotionRule[]> = {
  CNY: [
    { code: 'MAN300', rule: '满300减30', minSubtotal: 30000, discount: fixedOff(3000) },
    { code: 'MAN199', rule: '满199减20', minSubtotal: 19900, discount: fixedOff(2000) },
    { code: 'NEW20', rule: '新客专享：满50立减20元', minSubtotal: 5000, discount: fixedOff(2000) },
    { code: 'BAOYOU', rule: '包邮券：免运费', minSubtotal: 0, discount: freeShipping, appliesTo: 'shipping' },
    { rule: '会员95折', minSubtotal: 0, discount: percentOff(5) },
  ],
  USD: [
    { code: 'SAVE10', rule: '10% off orders over $50', minSubtotal: 5000, discount: percentOff(10) },
    {
      code: 'WELCOME15',
      rule: '$15 off a first order over $75',
      minSubtotal: 7500,
      discount: fixedOff(1500),
    },
    {
      code: 'FREESHIP',
      rule: 'Free standard shipping',
      minSubtotal: 0,
      discount: freeShipping,
      appliesTo: 'shipping',
    },
    { rule: 'Members save 5%', minSubtotal: 0, discount: percentOff(5) },
  ],
  GBP: [
    { code: 'SPRING10', rule: '10% off orders over £40', minSubtotal: 4000, discount: percentOff(10) },
    { code: 'TAKE5', rule: '£5 off orders over £30', minSubtotal: 3000, discount: fixedOff(500) },
    {
      code: 'FREEDELIVERY',
      rule: 'Free standard delivery',
      minSubtotal: 0,
      discount: freeShipping,
      appliesTo: 'shipping',
    },
  ],
};

/** One promotion the order qualifies for, or null; never a zero or negative discount. */
export function pickPromotion(
  random: SeededRandom,
  currency: string,
  subtotal: number,
  shippingFee: number,
): Promotion | null {
  const rule = random.pick(RULES[currency] ?? []);
  if (subtotal < rule.minSubtotal) return null;
  const amount = Math.min(rule.discount(subtotal, shippingFee), subtotal + shippingFee);
  if (amount <= 0) return null;
  return {
    ...(rule.code ? { code: rule.code } : {}),
    rule: rule.rule,
    discount: { amount, currency },
    ...(rule.appliesTo ? { appliesTo: rule.appliesTo } : {}),
  };
}
