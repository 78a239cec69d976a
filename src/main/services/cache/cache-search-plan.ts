import type { BlindTokens } from './blind-tokens';
import { phoneDigits } from './blind-search-text';
import { orderNumberKey } from './order-number-keys';

/**
 * How a search text is answered, with the gateway's semantics (src/server/orders/search-plan.ts)
 * over blind tokens: 3+ characters are an FTS phrase of trigram tokens (a substring match) plus
 * the same substring in the order numbers' own index, 4+ digits match phone digits and order
 * numbers, and 1-2 characters (a 2-character Chinese name is common) match the start of the
 * customer name through an index of name-prefix tokens.
 */
export type CacheSearchPlan =
  | { kind: 'newest' }
  | { kind: 'fts'; match: string; numberNeedles: string[] }
  | { kind: 'name_prefix'; length: 1 | 2; token: string };

const PHONE_LIKE = /^[\d\s+-]+$/;
const MIN_PHONE_DIGITS = 4;

export function planCacheSearch(rawText: string, tokens: BlindTokens): CacheSearchPlan {
  const text = rawText.trim();
  if (text === '') return { kind: 'newest' };

  if (PHONE_LIKE.test(text)) {
    const digits = phoneDigits(text);
    if (digits.length >= MIN_PHONE_DIGITS) {
      // Caches written before migration 3 also hold number tokens in display_number.
      let match = `{phone_digits display_number} : ${phrase(tokens.trigrams(digits))}`;
      const numberNeedles = [digits];
      // "2611-0045" is also how a display number is written, hyphen included.
      if (text.includes('-')) {
        match += ` OR display_number : ${phrase(tokens.trigrams(text))}`;
        numberNeedles.push(text);
      }
      return { kind: 'fts', match, numberNeedles };
    }
  }

  const length = [...text].length;
  if (length >= 3) {
    return { kind: 'fts', match: phrase(tokens.trigrams(text)), numberNeedles: [orderNumberKey(text)] };
  }
  const prefixLength = length === 1 ? 1 : 2;
  return { kind: 'name_prefix', length: prefixLength, token: tokens.namePrefix(text, prefixLength)! };
}

/** Tokens are hex, so quoting them needs no escaping. */
function phrase(tokens: readonly string[]): string {
  return `"${tokens.join(' ')}"`;
}
