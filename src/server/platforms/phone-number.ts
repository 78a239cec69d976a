import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * A customer phone in E.164 ('+8613812345678'), read in the address's country when it has no
 * country code. Shops do not validate phones, so a number that cannot be a phone number at all is
 * kept as typed (trimmed): losing the only way to call a customer back is worse than a raw string,
 * and search matches on digits either way.
 */
export function normalisePhone(raw: string | null | undefined, country: string | null | undefined): string {
  const text = raw?.trim() ?? '';
  if (text === '') return '';
  const parsed = parsePhoneNumberFromString(text, asCountryCode(country));
  return parsed?.isPossible() ? parsed.number : text;
}

function asCountryCode(country: string | null | undefined): CountryCode | undefined {
  const code = country?.trim().toUpperCase();
  // libphonenumber-js ignores a country it has no metadata for.
  return code && /^[A-Z]{2}$/.test(code) ? (code as CountryCode) : undefined;
}
