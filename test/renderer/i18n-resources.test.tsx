import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/shared/errors';
import { en } from '../../src/renderer/i18n/resources/en';
import { zhCN } from '../../src/renderer/i18n/resources/zh-CN';

type Tree = { [key: string]: string | Tree };

/** Every leaf as [dotted.key, text]. */
function leaves(tree: Tree, prefix = ''): Array<[string, string]> {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value] as [string, string]]
      : leaves(value, `${prefix}${key}.`),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]).sort();

describe('translation resources', () => {
  const english = new Map(leaves(en));
  const chinese = new Map(leaves(zhCN));

  it('en and zh-CN have exactly the same keys', () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it('has no empty strings', () => {
    for (const [key, text] of [...english, ...chinese]) expect(text.trim(), key).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, text] of english)
      expect(placeholders(chinese.get(key) ?? ''), key).toEqual(placeholders(text));
  });

  it('has a message for every error code in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(english.get(`errors.${code}`), code).toBeTruthy();
      expect(chinese.get(`errors.${code}`), code).toBeTruthy();
    }
  });
});
