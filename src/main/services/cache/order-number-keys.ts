/**
 * Order numbers (public, see FIELD_CLASSIFICATION) are indexed in clear by every suffix of three
 * or more characters: a substring of a number is a prefix of one of its suffixes, so one range
 * of that index answers any substring, the typed tail ("100123"), the full number and a prefix
 * ("SH-10") alike. Digit trigrams are shared by phones and numbers, which made the blind FTS
 * walk of a rare number slow; the numbers' own index is exact and short.
 */
export const MIN_NUMBER_NEEDLE_CHARS = 3;

/** Case-insensitive in ASCII only, like SQLite's lower() that built existing rows in migration 3. */
export function orderNumberKey(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** Every suffix of 3+ characters of the number's key, longest first. */
export function orderNumberSuffixes(displayNumber: string): string[] {
  const chars = [...orderNumberKey(displayNumber)];
  const suffixes: string[] = [];
  for (let start = 0; start + MIN_NUMBER_NEEDLE_CHARS <= chars.length; start += 1) {
    suffixes.push(chars.slice(start).join(''));
  }
  return suffixes;
}

/** The highest string that starts with the needle, as the end of an index range. */
export function prefixRangeEnd(needle: string): string {
  return `${needle}\u{10FFFF}`;
}
