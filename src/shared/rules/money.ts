/**
 * Splits `total` minor units across parts in proportion to `weights`, rounding by largest
 * remainder so that the parts sum to `total` exactly. Ties go to the earlier part; with no
 * weight at all the split is even.
 */
export function allocateByWeight(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const effective = weightSum > 0 ? weights : weights.map(() => 1);
  const divisor = BigInt(weightSum > 0 ? weightSum : weights.length);
  // BigInt: total × weight can pass 2^53 for large orders.
  const exact = effective.map((weight) => BigInt(total) * BigInt(weight));
  const parts = exact.map((value) => value / divisor);
  let left = total - parts.reduce((sum, part) => sum + Number(part), 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value % divisor }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    parts[index] = parts[index]! + 1n;
    left -= 1;
  }
  return parts.map(Number);
}

/**
 * The share of a line's `lineAmount` carried by units `from`..`from + count` of `lineQty` units.
 * Cumulative rounding: however the units are split over several refunds, the shares add up to
 * exactly `lineAmount`.
 */
export function unitsShare(lineAmount: number, lineQty: number, from: number, count: number): number {
  const upTo = (units: number) => Math.floor((lineAmount * units) / lineQty);
  return upTo(from + count) - upTo(from);
}
