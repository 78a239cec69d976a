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

  tryTake(): boolean {
    const nowMs = this.now();
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((nowMs - this.refilledAtMs) / 1000) * this.ratePerSecond,
    );
    this.refilledAtMs = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
