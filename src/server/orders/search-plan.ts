/**
 * How a search text is answered. The three shapes keep every search an index walk in newest-first
 * order: trigram FTS needs at least 3 characters, so shorter text (a 2-character Chinese name is
 * common) uses the customer-name index instead.
 */
export type OrderSearchPlan =
  { kind: 'newest' } | { kind: 'fts'; match: string } | { kind: 'name_prefix'; prefix: string };

const PHONE_LIKE = /^[\d\s+-]+$/;
const MIN_PHONE_DIGITS = 4;
const MIN_TRIGRAM_CHARS = 3;
const TEXT_COLUMNS = '{display_number customer_name phone_digits item_titles}';

export function planOrderSearch(rawText: string): OrderSearchPlan {
  const text = rawText.trim();
  if (text === '') return { kind: 'newest' };

  if (PHONE_LIKE.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits.length >= MIN_PHONE_DIGITS) {
      let match = `{phone_digits display_number} : ${ftsString(digits)}`;
      // "2611-0045" is also how a display number is written, hyphen included.
      if (text.includes('-')) match += ` OR display_number : ${ftsString(text)}`;
      return { kind: 'fts', match };
    }
  }

  // The text columns only: the index also holds the status and platform tokens.
  if ([...text].length >= MIN_TRIGRAM_CHARS)
    return { kind: 'fts', match: `${TEXT_COLUMNS} : ${ftsString(text)}` };
  return { kind: 'name_prefix', prefix: text.toLowerCase() };
}

/** An FTS5 string literal: the text matches as one phrase, never as query syntax. */
export function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
