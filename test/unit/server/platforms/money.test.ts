import { describe, expect, it } from 'vitest';
import {
  minorUnitExponent,
  parseCurrency,
  parseMoney,
  parseOptionalMoney,
} from '../../../../src/server/platforms/money';

describe('parseMoney', () => {
  it.each([
    ['19.99', 'USD', 1999],
    ['0.10', 'USD', 10],
    ['7', 'USD', 700],
    ['7.5', 'USD', 750],
    ['1234567.89', 'CNY', 123456789],
    ['-15.00', 'USD', -1500],
    ['+3.00', 'USD', 300],
    ['-0.00', 'USD', 0],
    [' 42.10 ', 'GBP', 4210],
    ['3300', 'JPY', 3300],
    ['3300.00', 'JPY', 3300],
    ['1.234', 'KWD', 1234],
    ['1.5', 'KWD', 1500],
    ['12.3456', 'CLF', 123456],
    ['1999.50', 'HUF', 199950],
  ])('reads %j %s as %i minor units', (text, currency, amount) => {
    expect(parseMoney(text, currency)).toEqual({ amount, currency });
  });

  it('reads JSON numbers by their decimal text, not by float arithmetic', () => {
    // 0.29 * 100 is 28.999999999999996 in floating point.
    expect(parseMoney(0.29, 'USD')).toEqual({ amount: 29, currency: 'USD' });
    expect(parseMoney(41.6, 'USD')).toEqual({ amount: 4160, currency: 'USD' });
    expect(parseMoney(159, 'CNY')).toEqual({ amount: 15900, currency: 'CNY' });
  });

  it.each([
    ['19.999', 'USD', /more decimal places/],
    ['3300.5', 'JPY', /more decimal places/],
    [3.3000000000000003, 'USD', /decimal/],
    ['1e3', 'USD', /decimal number/],
    ['12,50', 'EUR', /decimal number/],
    ['', 'USD', /decimal number/],
    ['.5', 'USD', /decimal number/],
    ['NaN', 'USD', /decimal number/],
    [null, 'USD', /decimal number/],
    [{ amount: 1 }, 'USD', /decimal number/],
    ['9999999999999999', 'USD', /decimal number|too large/],
    ['99999999999999.99', 'USD', /too large/],
  ])('refuses %j %s with BAD_REQUEST', (value, currency, message) => {
    expect(() => parseMoney(value, currency)).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringMatching(message) }),
    );
  });

  it('treats a missing optional amount as zero', () => {
    expect(parseOptionalMoney(undefined, 'USD')).toEqual({ amount: 0, currency: 'USD' });
    expect(parseOptionalMoney(null, 'USD')).toEqual({ amount: 0, currency: 'USD' });
    expect(parseOptionalMoney('', 'USD')).toEqual({ amount: 0, currency: 'USD' });
    expect(parseOptionalMoney('2.50', 'USD')).toEqual({ amount: 250, currency: 'USD' });
  });
});

describe('currencies', () => {
  it('uses the ISO 4217 exponent: 2 by default, 0 for JPY/KRW, 3 for KWD/BHD', () => {
    expect(['USD', 'CNY', 'EUR', 'HUF', 'XYZ'].map(minorUnitExponent)).toEqual([2, 2, 2, 2, 2]);
    expect(['JPY', 'KRW', 'VND', 'ISK'].map(minorUnitExponent)).toEqual([0, 0, 0, 0]);
    expect(['KWD', 'BHD', 'TND'].map(minorUnitExponent)).toEqual([3, 3, 3]);
  });

  it('normalises codes to upper case and refuses anything but three letters', () => {
    expect(parseCurrency(' usd ')).toBe('USD');
    for (const bad of ['US', 'USDT', '', 12, null, 'U$D']) {
      expect(() => parseCurrency(bad)).toThrow(/ISO 4217/);
    }
  });
});
