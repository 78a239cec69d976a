import { DeskError, type ErrorCode } from '../../../shared/errors';
import type { ActionRequest } from '../../../shared/protocol';
import type { OrderCacheClient } from '../cache/OrderCacheClient';
import type { OutboxEntry, OutboxStatus } from './outbox-entry';

/** Sends one request to the gateway; resolves when the gateway applied it (or had already). */
export type ActionSender = (request: ActionRequest) => Promise<unknown>;

export interface OutboxReplay {
  done: number;
  conflicts: number;
  rejected: number;
  /** Still queued: the gateway became unreachable again; the next replay resumes with them. */
  pending: number;
}

/** Answers that settle a request for good; any other error leaves it queued. */
const SETTLING_CODES: Partial<Record<ErrorCode, Exclude<OutboxStatus, 'pending' | 'done'>>> = {
  VERSION_CONFLICT: 'conflict',
  NOT_ELIGIBLE: 'rejected',
  FORBIDDEN: 'rejected',
  NOT_FOUND: 'rejected',
  BAD_REQUEST: 'rejected',
};

/**
 * Action requests made while the gateway is unreachable, replayed in order when it is back.
 * Each carries its idempotency key, so a request sent before a crash and sent again is applied
 * once. A conflict or rejection is kept with its reason for the agent, never dropped.
 */
export class Outbox {
  private replaying: Promise<OutboxReplay> | null = null;

  constructor(
    private readonly store: Pick<OrderCacheClient, 'outboxEnqueue' | 'outboxList' | 'outboxSettle'>,
    /** How a refusal is recorded (default: its message); the desk stores code and rule reasons to translate. */
    private readonly reasonOf: (error: DeskError) => string = (error) => error.message,
  ) {}

  enqueue(request: ActionRequest): Promise<OutboxEntry> {
    return this.store.outboxEnqueue(request);
  }

  list(status?: OutboxStatus): Promise<OutboxEntry[]> {
    return this.store.outboxList(status);
  }

  markDone(idempotencyKey: string): Promise<OutboxEntry> {
    return this.store.outboxSettle(idempotencyKey, { status: 'done' });
  }

  markFailed(idempotencyKey: string, status: 'conflict' | 'rejected', reason: string): Promise<OutboxEntry> {
    return this.store.outboxSettle(idempotencyKey, { status, reason });
  }

  /** Sends the pending requests one at a time, oldest first; a second call joins the running one. */
  replay(send: ActionSender): Promise<OutboxReplay> {
    this.replaying ??= this.sendPending(send).finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  private async sendPending(send: ActionSender): Promise<OutboxReplay> {
    const pending = await this.list('pending');
    const result: OutboxReplay = { done: 0, conflicts: 0, rejected: 0, pending: pending.length };
    for (const entry of pending) {
      const key = entry.request.idempotencyKey;
      try {
        await send(entry.request);
      } catch (err) {
        const error = DeskError.from(err);
        const status = SETTLING_CODES[error.code];
        // Unreachable, timed out, rate limited: stop here so later requests keep their order.
        if (!status) return result;
        await this.markFailed(key, status, this.reasonOf(error));
        result[status === 'conflict' ? 'conflicts' : 'rejected'] += 1;
        result.pending -= 1;
        continue;
      }
      await this.markDone(key);
      result.done += 1;
      result.pending -= 1;
    }
    return result;
  }
}
