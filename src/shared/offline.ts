import { z } from 'zod';
import type { ErrorCode } from './errors';
import type { ActionType, RuleReason } from './rules/types';
import type { VisibleOrder, VisibleOrderSummary } from './visibility';

/**
 * What the renderer knows about offline work: requests queued while the gateway was
 * unreachable, and the ones the gateway refused on replay, which wait for the agent.
 */
export interface OfflineState {
  /** Requests in the outbox not yet sent. */
  queued: number;
  /** Conflicts and rejections from replays, oldest first, until the agent dismisses them. */
  tasks: OfflineTask[];
}

export interface OfflineTask {
  /** The request's idempotency key: the task's id. */
  id: string;
  orderId: string;
  /** Null when the order is no longer in the cache. */
  displayNumber: string | null;
  action: ActionType;
  status: 'conflict' | 'rejected';
  /** Why, as a stable code (and rule reasons) the renderer translates. */
  reason: OfflineTaskReason;
  /** When the agent made the request and when the gateway refused it. */
  queuedAt: string;
  settledAt: string | null;
}

export interface OfflineTaskReason {
  code: ErrorCode;
  reasons: RuleReason[];
}

/** orders.action while offline: queued in the outbox, sent when the gateway is back. */
export interface QueuedActionResult {
  outcome: 'queued';
  /** The order as cached when the request was queued (null if it was not cached). */
  order: VisibleOrder | null;
  eventSeq: null;
  queuedAt: string;
}

/** Present on order results served from the local cache: when that copy was cached. */
export interface CacheAge {
  cachedAt?: string;
}

/** A search row; `cachedAt` when it came from the local cache (its age is shown). */
export type CachedOrderSummary = VisibleOrderSummary & CacheAge;

export const DismissOfflineTaskArgs = z.object({ id: z.string().min(8).max(64) }).strict();
export type DismissOfflineTaskArgs = z.infer<typeof DismissOfflineTaskArgs>;
