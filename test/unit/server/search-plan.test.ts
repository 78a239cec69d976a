import { describe, expect, it } from 'vitest';
import { planOrderSearch } from '../../../src/server/orders/search-plan';

describe('planOrderSearch', () => {
  it('lists the newest orders for empty or blank text', () => {
    expect(planOrderSearch('')).toEqual({ kind: 'newest' });
    expect(planOrderSearch('   ')).toEqual({ kind: 'newest' });
  });

  it('searches phone digits and display numbers for phone-like text with 4+ digits', () => {
    expect(planOrderSearch('5678')).toEqual({ kind: 'fts', match: '{phone_digits display_number} : "5678"' });
    expect(planOrderSearch(' +86 138 1234 ')).toEqual({
      kind: 'fts',
      match: '{phone_digits display_number} : "861381234"',
    });
  });

  it('also matches a hyphenated number as written, for display numbers like AD-2611-004512', () => {
    expect(planOrderSearch('2611-0045')).toEqual({
      kind: 'fts',
      match: '{phone_digits display_number} : "26110045" OR display_number : "2611-0045"',
    });
  });

  it('uses trigram FTS over the four text columns for 3+ characters, as one quoted phrase', () => {
    const textColumns = '{display_number customer_name phone_digits item_titles}';
    expect(planOrderSearch('SH-1002')).toEqual({ kind: 'fts', match: `${textColumns} : "SH-1002"` });
    expect(planOrderSearch('充电宝')).toEqual({ kind: 'fts', match: `${textColumns} : "充电宝"` });
    expect(planOrderSearch('123')).toEqual({ kind: 'fts', match: `${textColumns} : "123"` });
  });

  it('escapes double quotes and neutralises FTS5 syntax', () => {
    expect(planOrderSearch('say "hi" OR x*')).toEqual({
      kind: 'fts',
      match: '{display_number customer_name phone_digits item_titles} : "say ""hi"" OR x*"',
    });
  });

  it('uses a lower-cased name prefix for 1-2 characters (2-character Chinese names are common)', () => {
    expect(planOrderSearch('王')).toEqual({ kind: 'name_prefix', prefix: '王' });
    expect(planOrderSearch('欧阳')).toEqual({ kind: 'name_prefix', prefix: '欧阳' });
    expect(planOrderSearch('Em')).toEqual({ kind: 'name_prefix', prefix: 'em' });
  });

  it('counts characters, not UTF-16 units: an astral character is one character', () => {
    expect(planOrderSearch('𠮷野')).toEqual({ kind: 'name_prefix', prefix: '𠮷野' });
  });
});
