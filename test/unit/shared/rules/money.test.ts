import { describe, expect, it } from 'vitest';
import { allocateByWeight, unitsShare } from '../../../../src/shared/rules/money';

describe('allocateByWeight', () => {
  it.each([
    { total: 3000, weights: [39900, 15900], parts: [2145, 855] },
    { total: 1000, weights: [1, 1, 1], parts: [334, 333, 333] },
    { total: 5, weights: [0, 0], parts: [3, 2] },
    { total: 0, weights: [10, 20], parts: [0, 0] },
    { total: 1, weights: [1, 999_999], parts: [0, 1] },
    { total: 9_000_000_000, weights: [8_000_000_000, 1_000_000_001], parts: [7_999_999_999, 1_000_000_001] },
  ])('splits $total over $weights', ({ total, weights, parts }) => {
    const allocated = allocateByWeight(total, weights);
    expect(allocated).toEqual(parts);
    expect(allocated.reduce((sum, part) => sum + part, 0)).toBe(total);
  });

  it('unit shares of a line add up to the line however they are split', () => {
    for (const [amount, qty] of [
      [1000, 3],
      [1, 7],
      [99_999, 10],
    ] as const) {
      let from = 0;
      let sum = 0;
      for (const count of [1, 2, qty - 3].filter((n) => n > 0)) {
        if (from + count > qty) break;
        sum += unitsShare(amount, qty, from, count);
        from += count;
      }
      sum += unitsShare(amount, qty, from, qty - from);
      expect(sum).toBe(amount);
    }
  });
});
