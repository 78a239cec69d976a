import { createHash } from 'node:crypto';
import type { VisibleOrder as Order } from '../../../shared/visibility';
import type { BlindTokens } from './blind-tokens';

/**
 * What the cache indexes for one order: keyed trigram tokens per FTS column (space separated),
 * keyed tokens of the name's first one and two characters, and a hash of it all that tells
 * whether an update must rewrite the FTS row.
 *
 * Trade-off of blind tokens against a clear-text trigram index: the file holds no name, phone
 * or title, and a query is still one FTS phrase walked newest first. The tokens are
 * deterministic, so someone with the file (but not the key) sees which orders share a trigram
 * or a name prefix and how common each is; they cannot tell which text it is. Worth it for a
 * local cache that is bounded, wiped on logout and keyed per install.
 */
export interface BlindSearchText {
  display_number: string;
  customer_name: string;
  phone_digits: string;
  item_titles: string;
  name_prefix1: string | null;
  name_prefix2: string | null;
  search_hash: string;
}

export function toBlindSearchText(order: Order, tokens: BlindTokens): BlindSearchText {
  const columns = {
    display_number: tokens.trigrams(order.displayNumber).join(' '),
    customer_name: tokens.trigrams(order.customer.name ?? '').join(' '),
    phone_digits: tokens.trigrams(phoneDigits(order.customer.phone ?? '')).join(' '),
    // Titles one after another: a query spanning two titles needs the trigrams across the
    // boundary, which are never indexed, so it cannot match.
    item_titles: order.items.flatMap((item) => tokens.trigrams(item.title)).join(' '),
    name_prefix1: tokens.namePrefix(order.customer.name ?? '', 1),
    name_prefix2: tokens.namePrefix(order.customer.name ?? '', 2),
  };
  // The inputs are already keyed tokens, so a plain hash of them reveals nothing further.
  const searchHash = createHash('sha256').update(JSON.stringify(columns)).digest('hex').slice(0, 32);
  return { ...columns, search_hash: searchHash };
}

/** '+86 138-1234-5678' -> '8613812345678': what agents type is matched against digits only. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}
