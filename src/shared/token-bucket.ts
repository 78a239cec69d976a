/** A token bucket: `ratePerSecond` sustained, up to `burst` at once. */
export class TokenBucket {
  private tokens: number;
  private refilledAtMs: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.refilledAtMs = now();
  }

  /** Takes `count` tokens (e.g. bytes) if there are that many; takes none otherwise. */
  tryTake(count = 1): boolean {
    this.refill();
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }

  /** How long until `tryTake` would succeed (0: now). */
  msUntilToken(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }

  private refill(): void {
    const nowMs = this.now();
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((nowMs - this.refilledAtMs) / 1000) * this.ratePerSecond,
    );
    this.refilledAtMs = nowMs;
  }
}
