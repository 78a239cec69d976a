import { getCountries, getCountryCallingCode } from 'libphonenumber-js';
import type { FieldAccess } from '../../shared/visibility';

/**
 * How a search text is answered. Every way ("arm") is an index walk in newest-first order, and a
 * plan with several arms is their union: trigram FTS needs at least 3 characters, so shorter text
 * (a 2-character Chinese name is common) uses the customer-name index instead.
 *
 * What the text may match depends on how the asking role sees contact data. A role that sees
 * phones and names in full may match any part of them. A role that sees them masked
 * ("+*********2783", "张*") must not be able to recover what the mask hides by searching one more
 * character at a time, so it matches contact data only by what a caller says: the last 4 phone
 * digits (which the mask shows anyway), the whole number, or the whole name. Order numbers and
 * product titles are public and match by any part, for every role.
 */
export type OrderSearchPlan = { kind: 'newest' } | { kind: 'match'; arms: readonly SearchArm[] };

export type SearchArm =
  /** An FTS5 query over the trigram index. */
  | { kind: 'fts'; match: string; personal: PersonalSearch | null }
  /** Customer names starting with `prefix` (lower-cased). */
  | { kind: 'name_prefix'; prefix: string; personal: 'name' }
  /** Customers whose whole name, lower-cased, is `key`. */
  | { kind: 'name_exact'; key: string; personal: 'name' }
  /** Phones whose last four digits are `tail`. */
  | { kind: 'phone_tail'; tail: string; personal: 'phone' }
  /** Phones whose digits are exactly one of `numbers`. */
  | { kind: 'phone_exact'; numbers: readonly string[]; personal: 'phone' };

/** The personal data an arm matches on: such searches are counted per agent (search-limits.ts). */
export type PersonalSearch = 'phone' | 'name';

const PHONE_LIKE = /^[\d\s+-]+$/;
const MIN_PHONE_DIGITS = 4;
const PHONE_TAIL_DIGITS = 4;
/** A national number shorter than this is no whole number anywhere that matters here. */
const MIN_NATIONAL_DIGITS = 6;
const MIN_TRIGRAM_CHARS = 3;
const ALL_TEXT_COLUMNS = '{display_number customer_name phone_digits item_titles}';
const PUBLIC_TEXT_COLUMNS = '{display_number item_titles}';

/** Every country calling code (about 215 distinct), for reading a national number as whole. */
const CALLING_CODES = [...new Set(getCountries().map((country) => getCountryCallingCode(country)))];

/**
 * The plan for `rawText` as asked by a role whose access to contact data is `contact`
 * ('full' unless the caller knows better: the gateway's own lookups see everything).
 */
export function planOrderSearch(rawText: string, contact: FieldAccess = 'full'): OrderSearchPlan {
  const text = rawText.trim();
  if (text === '') return { kind: 'newest' };
  const arms = contact === 'full' ? fullAccessArms(text) : maskedAccessArms(text, contact);
  return { kind: 'match', arms };
}

/** Whether answering the plan reads personal data (and so counts against the agent's limit). */
export function personalSearchOf(plan: OrderSearchPlan): PersonalSearch | null {
  if (plan.kind === 'newest') return null;
  return plan.arms.find((arm) => arm.personal !== null)?.personal ?? null;
}

function fullAccessArms(text: string): SearchArm[] {
  const digits = phoneLikeDigits(text);
  if (digits !== null) {
    let match = `{phone_digits display_number} : ${ftsString(digits)}`;
    // "2611-0045" is also how a display number is written, hyphen included.
    if (text.includes('-')) match += ` OR display_number : ${ftsString(text)}`;
    return [{ kind: 'fts', match, personal: 'phone' }];
  }
  // The text columns only: the index also holds the status and platform tokens.
  if ([...text].length >= MIN_TRIGRAM_CHARS)
    return [{ kind: 'fts', match: `${ALL_TEXT_COLUMNS} : ${ftsString(text)}`, personal: 'name' }];
  return [{ kind: 'name_prefix', prefix: text.toLowerCase(), personal: 'name' }];
}

function maskedAccessArms(text: string, contact: Exclude<FieldAccess, 'full'>): SearchArm[] {
  // A role the contact class is hidden from cannot match on it at all.
  const mayMatchContact = contact === 'masked';
  const digits = phoneLikeDigits(text);
  if (digits !== null) {
    let match = `display_number : ${ftsString(digits)}`;
    if (text.includes('-')) match += ` OR display_number : ${ftsString(text)}`;
    const arms: SearchArm[] = [{ kind: 'fts', match, personal: null }];
    if (!mayMatchContact) return arms;
    if (digits.length === PHONE_TAIL_DIGITS)
      arms.push({ kind: 'phone_tail', tail: digits, personal: 'phone' });
    else arms.push({ kind: 'phone_exact', numbers: wholeNumberForms(digits), personal: 'phone' });
    return arms;
  }
  const arms: SearchArm[] = [];
  if ([...text].length >= MIN_TRIGRAM_CHARS) {
    arms.push({ kind: 'fts', match: `${PUBLIC_TEXT_COLUMNS} : ${ftsString(text)}`, personal: null });
  }
  // Names have no digits: "SH-1002" or "iPhone 15" is no name search (and is not counted as one).
  if (mayMatchContact && !/\d/.test(text))
    arms.push({ kind: 'name_exact', key: nameKey(text), personal: 'name' });
  return arms;
}

/** The digits of phone-like text with at least 4 of them, else null. */
function phoneLikeDigits(text: string): string | null {
  if (!PHONE_LIKE.test(text)) return null;
  const digits = text.replace(/\D/g, '');
  return digits.length >= MIN_PHONE_DIGITS ? digits : null;
}

/**
 * The stored digit strings that `digits` names as a whole number: itself (an international
 * number, or a phone kept as the shop had it), and, read as a national number without its trunk
 * zeros ("0755 ..." / "138 ..."), that number after any country calling code. All are exact
 * values: none matches a phone of which `digits` is only a part.
 */
export function wholeNumberForms(digits: string): string[] {
  const forms = new Set([digits]);
  const national = digits.replace(/^0+/, '');
  if (national.length >= MIN_NATIONAL_DIGITS) {
    for (const code of CALLING_CODES) forms.add(code + national);
  }
  return [...forms];
}

/** How names are compared: lower-cased, as the orders table keeps them (customer_name_key). */
export function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

/** An FTS5 string literal: the text matches as one phrase, never as query syntax. */
export function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
