import { PHONE_GRAM_DIGITS, type BlindTokens } from './blind-tokens';
import { phoneDigits } from './blind-search-text';
import { orderNumberKey } from './order-number-keys';

/**
 * How a search text is answered, with the gateway's semantics (src/server/orders/search-plan.ts)
 * over blind tokens:
 * - 4+ digits (spaces, "+" and "-" allowed): a phrase of four-digit grams in phone_fts (a
 *   substring of the phone's digits), plus the digits, and the text as typed if it has a hyphen,
 *   as substrings of order numbers ("2611-0045");
 * - 3+ characters: an FTS phrase of trigram tokens over names and item titles (a substring
 *   match), plus the same substring in the order numbers' own index;
 * - 1-2 characters (a 2-character Chinese name is common): the start of the customer name
 *   through an index of name-prefix tokens.
 * One difference from the gateway: three digits alone do not match phone numbers here (its
 * trigram index does), since phones are indexed from four digits on. Three digits of a phone
 * match a large part of any store, so no agent finds a caller that way.
 */
export type CacheSearchPlan =
  | { kind: 'newest' }
  | {
      kind: 'fts';
      /** orders_fts (names, titles), or null. */
      textMatch: string | null;
      /** phone_fts, or null. */
      phoneMatch: string | null;
      /** The same phone digits in orders_fts, for rows cached before migration 4 not yet in phone_fts. */
      legacyPhoneMatch: string | null;
      numberNeedles: string[];
    }
  | { kind: 'name_prefix'; length: 1 | 2; token: string };

const PHONE_LIKE = /^[\d\s+-]+$/;
/** orders_fts columns a text search reads: display_number and phone_digits hold only tokens of
 * rows written before migrations 3 and 4, which the numbers' and phones' own indexes replace. */
const TEXT_COLUMNS = '{customer_name item_titles}';

export function planCacheSearch(rawText: string, tokens: BlindTokens): CacheSearchPlan {
  const text = rawText.trim();
  if (text === '') return { kind: 'newest' };

  if (PHONE_LIKE.test(text)) {
    const digits = phoneDigits(text);
    if (digits.length >= PHONE_GRAM_DIGITS) {
      const numberNeedles = [digits];
      // "2611-0045" is also how a display number is written, hyphen included.
      if (text.includes('-')) numberNeedles.push(text);
      return {
        kind: 'fts',
        textMatch: null,
        phoneMatch: phrase(tokens.phoneGrams(digits)),
        legacyPhoneMatch: `phone_digits : ${phrase(tokens.trigrams(digits))}`,
        numberNeedles,
      };
    }
  }

  const length = [...text].length;
  if (length >= 3) {
    return {
      kind: 'fts',
      textMatch: `${TEXT_COLUMNS} : ${phrase(tokens.trigrams(text))}`,
      phoneMatch: null,
      legacyPhoneMatch: null,
      numberNeedles: [orderNumberKey(text)],
    };
  }
  const prefixLength = length === 1 ? 1 : 2;
  return { kind: 'name_prefix', length: prefixLength, token: tokens.namePrefix(text, prefixLength)! };
}

/** Tokens are hex, so quoting them needs no escaping. */
function phrase(tokens: readonly string[]): string {
  return `"${tokens.join(' ')}"`;
}
