import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Where callers without a country code are assumed to call from; the demo shop and our first
 * customers are in mainland China. A setting once a second region needs it.
 */
export const DEFAULT_CALLER_REGION: CountryCode = 'CN';

/** The caller number in E.164 (+8613800138000), or null when it is not a valid phone number (an extension). */
export function toE164(number: string, region: CountryCode = DEFAULT_CALLER_REGION): string | null {
  const parsed = parsePhoneNumberFromString(number.trim(), region);
  return parsed?.isValid() ? parsed.number : null;
}
