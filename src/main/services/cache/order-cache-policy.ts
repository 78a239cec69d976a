/** IT policy for the local order cache (set centrally, not by the agent). */
export interface OrderCachePolicy {
  /** False: nothing is stored (existing files are deleted) and every read is a miss. */
  enabled: boolean;
  /** Orders unused for longer are evicted. */
  ttlMs: number;
  /** Beyond this many orders the least recently used are evicted. */
  maxOrders: number;
}

export const DEFAULT_ORDER_CACHE_POLICY: OrderCachePolicy = {
  enabled: true,
  ttlMs: 14 * 24 * 60 * 60 * 1000,
  maxOrders: 200_000,
};
