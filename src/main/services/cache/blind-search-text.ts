import type { VisibleOrder as Order } from '../../../shared/visibility';
import type { BlindTokens } from './blind-tokens';

/**
 * What the cache indexes for one order's personal text: keyed trigram tokens per FTS column
 * (space separated) and keyed tokens of the name's first one and two characters. The display
 * number is public and indexed in clear (order-number-keys.ts), not here.
 *
 * Trade-off of blind tokens against a clear-text trigram index: the file holds no name, phone
 * or title, and a query is still one FTS phrase walked newest first. The tokens are
 * deterministic, so someone with the file (but not the key) sees which orders share a trigram
 * or a name prefix and how common each is; they cannot tell which text it is. Worth it for a
 * local cache that is bounded, wiped on logout and keyed per install.
 */
export interface BlindSearchText {
  customer_name: string;
  /** Four-digit grams of the phone's digits, for phone_fts (migration 4). */
  phone_grams: string;
  item_titles: string;
  name_prefix1: string | null;
  name_prefix2: string | null;
}

export function toBlindSearchText(order: Order, tokens: BlindTokens): BlindSearchText {
  return {
    customer_name: tokens.trigrams(order.customer.name ?? '').join(' '),
    phone_grams: tokens.phoneGrams(phoneDigits(order.customer.phone ?? '')).join(' '),
    // Titles one after another: a query spanning two titles needs the trigrams across the
    // boundary, which are never indexed, so it cannot match.
    item_titles: order.items.flatMap((item) => tokens.trigrams(item.title)).join(' '),
    name_prefix1: tokens.namePrefix(order.customer.name ?? '', 1),
    name_prefix2: tokens.namePrefix(order.customer.name ?? '', 2),
  };
}

/**
 * A keyed digest of every field the search indexes (and the customer, found by its own token).
 * Most events change status, shipments or notes only: an equal digest lets the write skip
 * tokenizing and the index rows altogether.
 */
export function searchSourceDigest(order: Order, tokens: BlindTokens): string {
  const source = [
    order.customer.id,
    order.displayNumber,
    order.customer.name ?? '',
    order.customer.phone ?? '',
    order.items.map((item) => item.title),
  ];
  return tokens.digest('search_source', JSON.stringify(source));
}

/** '+86 138-1234-5678' -> '8613812345678': what agents type is matched against digits only. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}
