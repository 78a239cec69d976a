import type { Money } from '../../shared/domain';

const currencyFormats = new Map<string, Intl.NumberFormat>();

function currencyFormat(currency: string, language: string): Intl.NumberFormat {
  const key = `${language}|${currency}`;
  let format = currencyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(language, { style: 'currency', currency });
    currencyFormats.set(key, format);
  }
  return format;
}

/** Minor-unit digits of a currency by ISO 4217 (USD 2, JPY 0, KWD 3), whatever the display language. */
function minorDigits(currency: string): number {
  return currencyFormat(currency, 'en').resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * Integer minor units as an exact decimal string ("-1234.05"): Intl formats strings without
 * going through a float, so large amounts never pick up rounding errors.
 */
function toDecimalString(minorUnits: number, digits: number): `${number}` {
  const sign = minorUnits < 0 ? '-' : '';
  const padded = Math.abs(minorUnits)
    .toString()
    .padStart(digits + 1, '0');
  const whole = padded.slice(0, padded.length - digits);
  const fraction = padded.slice(padded.length - digits);
  return `${sign}${whole}${digits > 0 ? `.${fraction}` : ''}` as `${number}`;
}

/** Formats money (integer minor units + currency) in the given UI language. */
export function formatMoney(money: Money, language: string): string {
  return currencyFormat(money.currency, language).format(
    toDecimalString(money.amount, minorDigits(money.currency)),
  );
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(language: string, style: 'dateTime' | 'time'): Intl.DateTimeFormat {
  const key = `${language}|${style}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(
      language,
      style === 'dateTime' ? { dateStyle: 'medium', timeStyle: 'short' } : { timeStyle: 'short' },
    );
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** An ISO date-time as a short local date and time ("Mar 4, 2025, 2:05 PM" / "2025年3月4日 14:05"). */
export function formatDateTime(iso: string, language: string): string {
  return dateTimeFormat(language, 'dateTime').format(new Date(iso));
}

/** An ISO date-time as a local time of day. */
export function formatTime(iso: string, language: string): string {
  return dateTimeFormat(language, 'time').format(new Date(iso));
}

/** A region code (ISO 3166, "CN") as its name in the UI language; the code itself if unknown. */
export function formatCountry(regionCode: string, language: string): string {
  try {
    return new Intl.DisplayNames(language, { type: 'region' }).of(regionCode) ?? regionCode;
  } catch {
    return regionCode;
  }
}
