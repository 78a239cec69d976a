import { describe, expect, it } from 'vitest';
import {
  personalSearchOf,
  planOrderSearch,
  wholeNumberForms,
  type SearchArm,
} from '../../../src/server/orders/search-plan';

const armsOf = (text: string, contact: 'full' | 'masked' | 'hidden' = 'full'): readonly SearchArm[] => {
  const plan = planOrderSearch(text, contact);
  if (plan.kind !== 'match') throw new Error(`expected a match plan for "${text}"`);
  return plan.arms;
};

describe('planOrderSearch, for a role that sees contact data in full', () => {
  it('lists the newest orders for empty or blank text', () => {
    expect(planOrderSearch('')).toEqual({ kind: 'newest' });
    expect(planOrderSearch('   ', 'masked')).toEqual({ kind: 'newest' });
  });

  it('searches phone digits and display numbers for phone-like text with 4+ digits', () => {
    expect(armsOf('5678')).toEqual([
      { kind: 'fts', match: '{phone_digits display_number} : "5678"', personal: 'phone' },
    ]);
    expect(armsOf(' +86 138 1234 ')).toEqual([
      { kind: 'fts', match: '{phone_digits display_number} : "861381234"', personal: 'phone' },
    ]);
  });

  it('also matches a hyphenated number as written, for display numbers like AD-2611-004512', () => {
    expect(armsOf('2611-0045')).toEqual([
      {
        kind: 'fts',
        match: '{phone_digits display_number} : "26110045" OR display_number : "2611-0045"',
        personal: 'phone',
      },
    ]);
  });

  it('uses trigram FTS over the four text columns for 3+ characters, as one quoted phrase', () => {
    const textColumns = '{display_number customer_name phone_digits item_titles}';
    expect(armsOf('SH-1002')).toEqual([
      { kind: 'fts', match: `${textColumns} : "SH-1002"`, personal: 'name' },
    ]);
    expect(armsOf('充电宝')).toEqual([{ kind: 'fts', match: `${textColumns} : "充电宝"`, personal: 'name' }]);
  });

  it('escapes double quotes and neutralises FTS5 syntax', () => {
    expect(armsOf('say "hi" OR x*')).toEqual([
      {
        kind: 'fts',
        match: '{display_number customer_name phone_digits item_titles} : "say ""hi"" OR x*"',
        personal: 'name',
      },
    ]);
  });

  it('uses a lower-cased name prefix for 1-2 characters (2-character Chinese names are common)', () => {
    expect(armsOf('王')).toEqual([{ kind: 'name_prefix', prefix: '王', personal: 'name' }]);
    expect(armsOf('Em')).toEqual([{ kind: 'name_prefix', prefix: 'em', personal: 'name' }]);
  });

  it('counts characters, not UTF-16 units: an astral character is one character', () => {
    expect(armsOf('𠮷野')).toEqual([{ kind: 'name_prefix', prefix: '𠮷野', personal: 'name' }]);
  });
});

describe('planOrderSearch, for a role that sees contact data masked', () => {
  it('matches 4 digits as order-number text or as the last 4 digits of a phone, nothing else', () => {
    expect(armsOf('2783', 'masked')).toEqual([
      { kind: 'fts', match: 'display_number : "2783"', personal: null },
      { kind: 'phone_tail', tail: '2783', personal: 'phone' },
    ]);
  });

  it('matches more digits only as a whole phone number, never as a part of one', () => {
    const [number, phone] = armsOf('0755 8888 2783', 'masked');
    expect(number).toEqual({ kind: 'fts', match: 'display_number : "075588882783"', personal: null });
    expect(phone).toEqual({
      kind: 'phone_exact',
      numbers: wholeNumberForms('075588882783'),
      personal: 'phone',
    });
  });

  it('matches text on order numbers and product titles by any part, and on names only whole', () => {
    expect(armsOf('欧阳明华', 'masked')).toEqual([
      { kind: 'fts', match: '{display_number item_titles} : "欧阳明华"', personal: null },
      { kind: 'name_exact', key: '欧阳明华', personal: 'name' },
    ]);
    expect(armsOf('Jane Doe', 'masked')).toContainEqual({
      kind: 'name_exact',
      key: 'jane doe',
      personal: 'name',
    });
    expect(armsOf('欧阳', 'masked')).toEqual([{ kind: 'name_exact', key: '欧阳', personal: 'name' }]);
  });

  it('does not treat text with digits as a name: an order number is no personal search', () => {
    const plan = planOrderSearch('SH-1002', 'masked');
    expect(plan).toEqual({
      kind: 'match',
      arms: [{ kind: 'fts', match: '{display_number item_titles} : "SH-1002"', personal: null }],
    });
    expect(personalSearchOf(plan)).toBeNull();
  });

  it('never matches contact data for a role it is hidden from', () => {
    expect(armsOf('2783', 'hidden')).toEqual([
      { kind: 'fts', match: 'display_number : "2783"', personal: null },
    ]);
    expect(armsOf('欧阳', 'hidden')).toEqual([]);
  });

  it('says which personal data a plan reads', () => {
    expect(personalSearchOf(planOrderSearch('2783', 'masked'))).toBe('phone');
    expect(personalSearchOf(planOrderSearch('欧阳明华', 'masked'))).toBe('name');
    expect(personalSearchOf(planOrderSearch(''))).toBeNull();
  });
});

describe('wholeNumberForms', () => {
  it('reads digits as an international number, and as a national one after any calling code', () => {
    const forms = wholeNumberForms('13912342783');
    expect(forms).toContain('13912342783');
    expect(forms).toContain('8613912342783');
    expect(forms).toContain('4413912342783');
    // Never a part of the number.
    expect(forms.every((form) => form.endsWith('13912342783'))).toBe(true);
  });

  it('drops trunk zeros of a national number, and adds no national forms for short digit strings', () => {
    expect(wholeNumberForms('07700900123')).toContain('447700900123');
    expect(wholeNumberForms('12345')).toEqual(['12345']);
  });
});
