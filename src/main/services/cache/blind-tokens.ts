import { createHmac } from 'node:crypto';

/** 48 bits: a collision (a false match) is unlikely among the few 100k distinct trigrams. */
const TOKEN_HEX_CHARS = 12;
/** Distinct trigrams are few, so memoising avoids an HMAC per character on bulk writes. */
const MAX_MEMOISED = 500_000;

/** Phone numbers are searched from four digits on (cache-search-plan.ts). */
export const PHONE_GRAM_DIGITS = 4;

/** 128 bits: a collision would leave an order's search rows stale after its text changed. */
const DIGEST_HEX_CHARS = 32;

export type TokenDomain = 'trigram' | 'phone_gram' | 'name_prefix' | 'customer';
export type DigestDomain = 'search_source';

/**
 * Keyed, deterministic tokens (truncated HMAC-SHA256) that stand in for search text on disk: the
 * same text always gives the same token, so an index of tokens answers equality, but the text
 * cannot be recovered without the key.
 */
export class BlindTokens {
  private readonly memo = new Map<string, string>();

  constructor(private readonly key: Buffer) {}

  token(domain: TokenDomain, text: string): string {
    const input = `${domain}\u0000${text}`;
    let token = this.memo.get(input);
    if (token === undefined) {
      token = createHmac('sha256', this.key).update(input, 'utf8').digest('hex').slice(0, TOKEN_HEX_CHARS);
      if (this.memo.size >= MAX_MEMOISED) this.memo.clear();
      this.memo.set(input, token);
    }
    return token;
  }

  /**
   * The tokens of each trigram of the text, in order. Indexed as an FTS column, an FTS phrase
   * of a query's trigram tokens matches exactly where the query is a substring: the same
   * semantics as the trigram tokenizer, which also matches a phrase of trigrams.
   */
  trigrams(text: string): string[] {
    const chars = [...normaliseSearchText(text)];
    const tokens: string[] = [];
    for (let start = 0; start + 3 <= chars.length; start += 1) {
      tokens.push(this.token('trigram', chars.slice(start, start + 3).join('')));
    }
    return tokens;
  }

  /**
   * The tokens of each run of four digits, in order, in their own domain. Phone numbers use ten
   * symbols only, so their trigrams are few (1,000) and each is in about one order in ninety: at
   * 1M orders a six-digit phrase read four doclists of ~11k orders each. Four-digit grams are
   * 10,000, each in about one order in a thousand, and a last-4 search is a single token.
   */
  phoneGrams(digits: string): string[] {
    const tokens: string[] = [];
    for (let start = 0; start + PHONE_GRAM_DIGITS <= digits.length; start += 1) {
      tokens.push(this.token('phone_gram', digits.slice(start, start + PHONE_GRAM_DIGITS)));
    }
    return tokens;
  }

  /**
   * A keyed digest of text (not memoised): equal for equal text, so a write can tell that an
   * order's searchable fields did not change without keeping them or an unkeyed hash of them
   * (a phone number's plain hash is found by trying every number).
   */
  digest(domain: DigestDomain, text: string): string {
    return createHmac('sha256', this.key)
      .update(`${domain}\u0000${text}`, 'utf8')
      .digest('hex')
      .slice(0, DIGEST_HEX_CHARS);
  }

  /** The token of the first `length` characters of a name, or null if the name is shorter. */
  namePrefix(name: string, length: number): string | null {
    const chars = [...normaliseSearchText(name.trim())];
    return chars.length >= length ? this.token('name_prefix', chars.slice(0, length).join('')) : null;
  }
}

/** Case-insensitive like the trigram tokenizer's default. */
export function normaliseSearchText(text: string): string {
  return text.toLowerCase();
}
