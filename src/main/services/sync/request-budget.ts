/**
 * A token bucket that waits: `take()` resolves once a request may go, so background work
 * (prefetch, refetch) stays within its share of the gateway's per-connection frame limit and
 * leaves the rest to what the agent does.
 */
export class RequestBudget {
  private tokens: number;
  private refilledAtMs: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.refilledAtMs = now();
  }

  async take(): Promise<void> {
    for (;;) {
      const nowMs = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.refilledAtMs) / 1000) * this.perSecond);
      this.refilledAtMs = nowMs;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
