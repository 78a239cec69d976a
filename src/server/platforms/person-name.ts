const HAN_ONLY = /^\p{Script=Han}+$/u;

/**
 * A full name from a shop's first/last name fields. Chinese names are written family name first
 * with no space ('林' + '小雨' -> '林小雨'), which is also how agents search for them.
 */
export function personName(first: string | null | undefined, last: string | null | undefined): string {
  const given = first?.trim() ?? '';
  const family = last?.trim() ?? '';
  if (HAN_ONLY.test(given) && HAN_ONLY.test(family)) return `${family}${given}`;
  return [given, family].filter((part) => part !== '').join(' ');
}
