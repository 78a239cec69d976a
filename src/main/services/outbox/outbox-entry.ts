import type { ActionRequest } from '../../../shared/protocol';

/** pending until sent; then done, or conflict / rejected with the reason the agent is shown. */
export type OutboxStatus = 'pending' | 'done' | 'conflict' | 'rejected';

export interface OutboxEntry {
  /** Replay order: the order in which the agent made the requests. */
  position: number;
  request: ActionRequest;
  status: OutboxStatus;
  reason: string | null;
  enqueuedAt: string;
  settledAt: string | null;
}

export type OutboxSettlement = { status: 'done' } | { status: 'conflict' | 'rejected'; reason: string };
