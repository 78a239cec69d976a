import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/renderer/i18n/format';

describe('formatMoney', () => {
  it('turns integer minor units into the currency amount', () => {
    expect(formatMoney({ amount: 123456, currency: 'USD' }, 'en')).toBe('$1,234.56');
    expect(formatMoney({ amount: 5, currency: 'USD' }, 'en')).toBe('$0.05');
    expect(formatMoney({ amount: -1999, currency: 'USD' }, 'en')).toBe('-$19.99');
  });

  it('knows currencies without or with three minor digits', () => {
    expect(formatMoney({ amount: 1234, currency: 'JPY' }, 'en')).toBe('¥1,234');
    expect(formatMoney({ amount: 1234, currency: 'KWD' }, 'en')).toBe('KWD\u00a01.234');
  });

  it('formats in the UI language', () => {
    expect(formatMoney({ amount: 25900, currency: 'CNY' }, 'zh-CN')).toBe('¥259.00');
    expect(formatMoney({ amount: 25900, currency: 'CNY' }, 'en')).toBe('CN¥259.00');
  });

  it('stays exact beyond float precision', () => {
    expect(formatMoney({ amount: 9007199254740991, currency: 'USD' }, 'en')).toBe('$90,071,992,547,409.91');
  });
});
