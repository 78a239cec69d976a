import type { OrderStatus, Platform } from '../../shared/domain';

/**
 * The tokens that put an order's status and platform into the trigram index, so that FTS5
 * intersects a text's posting list with a filter's instead of reading every text match and
 * dropping the other statuses. Each token is exactly 3 characters (one trigram) and starts with a
 * private-use character, so it is never a trigram of real text and its posting list holds only
 * the orders with that value. Stored in the index: never change a token, only add new ones.
 */
const TOKEN_MARK = '\uE000';

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
