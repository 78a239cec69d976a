import type { Money } from '../../shared/domain';
import { DeskError } from '../../shared/errors';

/**
 * ISO 4217 minor-unit exponents that are not 2. ISO data, not Intl: ICU reports the cash digits
 * for some currencies (HUF as 0), while platforms send amounts with the ISO exponent.
 */
// prettier-ignore
const MINOR_UNIT_EXPONENTS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

const CURRENCY = /^[A-Z]{3}$/;
const DECIMAL = /^([+-])?(\d{1,15})(?:\.(\d{1,12}))?$/;

export function minorUnitExponent(currency: string): number {
  return MINOR_UNIT_EXPONENTS[currency] ?? 2;
}

export function parseCurrency(value: unknown): string {
  const currency = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!CURRENCY.test(currency))
    throw invalidPayload(`currency must be an ISO 4217 code, got ${describe(value)}`);
  return currency;
}

/**
 * A platform's decimal amount ('19.99', or a JSON number) as integer minor units, parsed from
 * its digits, never through float arithmetic: '19.99' USD -> 1999, '1500' JPY -> 1500. Extra
 * decimal places are accepted only when they are zeros ('1500.00' JPY); anything that cannot be
 * represented exactly is refused rather than rounded.
 */
export function parseMoney(value: unknown, currency: string): Money {
  // A JSON number's shortest round-trip text is the decimal literal the platform sent.
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = DECIMAL.exec(text);
  if (!match) throw invalidPayload(`amount must be a decimal number, got ${describe(value)}`);
  const [, sign, whole = '', fraction = ''] = match;
  const exponent = minorUnitExponent(currency);
  if (/[^0]/.test(fraction.slice(exponent))) {
    throw invalidPayload(`${text} ${currency} has more decimal places than the currency allows`);
  }
  const amount = Number(whole + fraction.slice(0, exponent).padEnd(exponent, '0'));
  if (!Number.isSafeInteger(amount)) throw invalidPayload(`amount ${text} is too large`);
  return { amount: sign === '-' && amount !== 0 ? -amount : amount, currency };
}

/** Like parseMoney, but a missing or empty amount is zero (optional fees, discounts). */
export function parseOptionalMoney(value: unknown, currency: string): Money {
  return value === undefined || value === null || value === ''
    ? { amount: 0, currency }
    : parseMoney(value, currency);
}

export function invalidPayload(message: string): DeskError {
  return new DeskError('BAD_REQUEST', message);
}

function describe(value: unknown): string {
  return JSON.stringify(value)?.slice(0, 40) ?? String(value);
}
