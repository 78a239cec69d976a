import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../src/shared/token-bucket';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the sustained rate without exceeding the burst', () => {
    let now = 0;
    const bucket = new TokenBucket(50, 100, () => now);
    const taken = Array.from({ length: 120 }, () => bucket.tryTake()).filter(Boolean).length;
    expect(taken).toBe(100);
    expect(bucket.tryTake()).toBe(false);

    now += 100; // 0.1 s at 50/s = 5 tokens
    expect(Array.from({ length: 10 }, () => bucket.tryTake()).filter(Boolean).length).toBe(5);

    now += 60_000; // a long pause refills to the burst, not beyond
    expect(Array.from({ length: 150 }, () => bucket.tryTake()).filter(Boolean).length).toBe(100);
  });
});

describe('TokenBucket.msUntilToken', () => {
  it('says how long until the next token, and 0 while one is there', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 1, () => now);
    expect(bucket.msUntilToken()).toBe(0);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.msUntilToken()).toBe(100);
    now += 40;
    expect(bucket.msUntilToken()).toBe(60);
    now += 60;
    expect(bucket.msUntilToken()).toBe(0);
    expect(bucket.tryTake()).toBe(true);
  });
});

describe('TokenBucket.tryTake(count)', () => {
  it('takes several tokens at once, or none when there are not that many', () => {
    let now = 0;
    const bucket = new TokenBucket(100, 1_000, () => now);
    expect(bucket.tryTake(600)).toBe(true);
    expect(bucket.tryTake(600)).toBe(false);
    expect(bucket.tryTake(400)).toBe(true);
    now += 1_000;
    expect(bucket.tryTake(101)).toBe(false);
    expect(bucket.tryTake(100)).toBe(true);
  });
});
