import type { Role } from '../domain';
import type { RoleLimits } from './types';

/**
 * Default refund ceilings per role, in minor units: above its ceiling a refund waits for a
 * supervisor. Logistics refunds nothing (it has no ceiling in any currency).
 */
export const DEFAULT_ROLE_LIMITS: Readonly<Record<Role, RoleLimits>> = {
  frontline: { refundCeiling: { CNY: 50_000, USD: 10_000, GBP: 8_000 } },
  logistics: { refundCeiling: {} },
  after_sales: { refundCeiling: { CNY: 300_000, USD: 50_000, GBP: 40_000 } },
  supervisor: { refundCeiling: {}, refundUnlimited: true },
  admin: { refundCeiling: {}, refundUnlimited: true },
};

/** The most a role may refund in `currency` without approval; null: it cannot refund in it. */
export function refundCeiling(limits: RoleLimits, currency: string): number | 'unlimited' | null {
  if (limits.refundUnlimited) return 'unlimited';
  return limits.refundCeiling[currency] ?? null;
}
