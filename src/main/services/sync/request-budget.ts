import { TokenBucket } from '../../../shared/token-bucket';

/**
 * A token bucket that waits: `take()` resolves once a request may go, so background work
 * (prefetch, refetch) stays within its share of the gateway's per-connection frame limit and
 * leaves the rest to what the agent does.
 */
export class RequestBudget {
  private readonly bucket: TokenBucket;

  constructor(perSecond: number, burst: number, now?: () => number) {
    this.bucket = new TokenBucket(perSecond, burst, now);
  }

  async take(): Promise<void> {
    while (!this.bucket.tryTake()) {
      await new Promise((resolve) => setTimeout(resolve, this.bucket.msUntilToken()));
    }
  }
}
