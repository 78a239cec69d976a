import { describe, expect, it } from 'vitest';
import {
  platformToken,
  statusToken,
  weekNumber,
  weekToken,
} from '../../../src/server/orders/search-filter-tokens';
import { ORDER_STATUSES, PLATFORMS } from '../../../src/shared/domain';

/** One trigram of the index: exactly three characters, the first a private-use one. */
const ONE_PRIVATE_TRIGRAM = /^[\uE000-\uF8FF].{2}$/u;

describe('search filter tokens', () => {
  it('gives every status, platform and week its own single trigram, never one of real text', () => {
    const weeks = [0, 1, 255, 256, 2_930, 2_931, 65_535].map(weekToken);
    const tokens = [...ORDER_STATUSES.map(statusToken), ...PLATFORMS.map(platformToken), ...weeks];
    for (const token of tokens) expect(token).toMatch(ONE_PRIVATE_TRIGRAM);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('buckets times into whole 7-day periods from the epoch, in UTC, with earlier dates in the first', () => {
    const week = weekNumber(Date.parse('2026-11-26T00:00:00Z'));
    expect(weekNumber(Date.parse('2026-11-25T23:59:59.999Z'))).toBe(week - 1);
    expect(weekNumber(Date.parse('2026-12-02T23:59:59.999Z'))).toBe(week);
    expect(weekNumber(Date.parse('2026-12-03T08:00:00+08:00'))).toBe(week + 1);
    expect(weekNumber(Date.parse('1969-12-01T00:00:00Z'))).toBe(0);
  });
});
