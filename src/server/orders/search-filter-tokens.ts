import type { OrderStatus, Platform } from '../../shared/domain';

/**
 * The tokens that put an order's status, platform and creation week into the trigram index, so
 * that FTS5 intersects a text's posting list with a filter's instead of reading every text match
 * and dropping the rest. Each token is exactly 3 characters (one trigram) and starts with a
 * private-use character, so it is never a trigram of real text and its posting list holds only
 * the orders with that value. Stored in the index: never change a token, only add new ones.
 */
const TOKEN_MARK = '\uE000';
const WEEK_MARK = '\uE001';
/** Week digits are private-use characters too: 256 x 256 weeks (1,250 years) from 1970 on. */
const WEEK_DIGIT_BASE = 0xe100;
const WEEK_MS = 7 * 86_400_000;

const STATUS_CODES: Record<OrderStatus, string> = {
  pending_payment: 'pp',
  paid: 'pd',
  fulfilling: 'fl',
  shipped: 'sp',
  delivered: 'dl',
  completed: 'cp',
  cancelled: 'cn',
  refunding: 'rg',
  refunded: 'rd',
  closed: 'cl',
};

const PLATFORM_CODES: Record<Platform, string> = {
  shopify: 'sh',
  woocommerce: 'wc',
  demo: 'dm',
};

export function statusToken(status: OrderStatus): string {
  return TOKEN_MARK + STATUS_CODES[status];
}

export function platformToken(platform: Platform): string {
  return TOKEN_MARK + PLATFORM_CODES[platform];
}

/** Whole 7-day periods since the epoch: the index's time buckets. */
export function weekNumber(epochMs: number): number {
  // Clamped: a date before 1970 shares the first week's token (the exact bound is checked apart).
  return Math.max(0, Math.floor(epochMs / WEEK_MS));
}

/** The token of the week an order was created in. */
export function weekToken(week: number): string {
  return (
    WEEK_MARK +
    String.fromCharCode(WEEK_DIGIT_BASE + Math.floor(week / 256)) +
    String.fromCharCode(WEEK_DIGIT_BASE + (week % 256))
  );
}
