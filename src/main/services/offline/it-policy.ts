import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { OrderCachePolicy } from '../cache/order-cache-policy';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The IT policy file (`it-policy.json` in the app's data folder, placed by the installer or
 * device management). The agent has no screen that writes it. Unknown keys are ignored so a
 * newer policy does not break an older desk.
 */
const ItPolicyFile = z.object({
  orderCache: z
    .object({
      enabled: z.boolean().optional(),
      ttlDays: z.number().positive().max(365).optional(),
      maxOrders: z.number().int().min(100).max(5_000_000).optional(),
    })
    .optional(),
});

/** The order cache part of the IT policy; missing or unreadable: the defaults. */
export async function readOrderCachePolicy(path: string): Promise<Partial<OrderCachePolicy>> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch {
    return {};
  }
  let parsed: z.infer<typeof ItPolicyFile>;
  try {
    parsed = ItPolicyFile.parse(JSON.parse(raw));
  } catch {
    // A damaged policy must not silently re-enable a cache IT switched off.
    return { enabled: false };
  }
  const policy: Partial<OrderCachePolicy> = {};
  const cache = parsed.orderCache;
  if (cache?.enabled !== undefined) policy.enabled = cache.enabled;
  if (cache?.ttlDays !== undefined) policy.ttlMs = cache.ttlDays * DAY_MS;
  if (cache?.maxOrders !== undefined) policy.maxOrders = cache.maxOrders;
  return policy;
}
