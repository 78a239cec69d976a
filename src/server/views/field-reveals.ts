import type { z } from 'zod';
import type { AgentUser } from '../../shared/domain';
import { DeskError } from '../../shared/errors';
import type { RevealParams } from '../../shared/protocol';
import { FIELD_CLASSIFICATION, ROLE_FIELD_POLICIES, fieldValue, mayReveal } from '../../shared/visibility';
import type { AuditLog } from '../audit/audit-log';
import type { OrderStore } from '../orders/order-store';

export interface RevealLimits {
  /** Reveals one agent may make per window (default 30 per 10 minutes). */
  perWindow: number;
  windowMs: number;
}

export const DEFAULT_REVEAL_LIMITS: RevealLimits = { perWindow: 30, windowMs: 10 * 60_000 };

/**
 * `orders.reveal`: the unmasked value of one masked field, where the role may reveal that
 * field's class. Every reveal is audited with the field and the agent's reason, never the
 * value, and an agent gets at most `perWindow` in any window (a bulk read looks like this).
 */
export class FieldReveals {
  /** Per user: the times of the reveals inside the current window, oldest first. */
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly deps: { orders: OrderStore; audit: AuditLog },
    private readonly limits: RevealLimits = DEFAULT_REVEAL_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  async reveal(
    user: AgentUser,
    { orderId, field, reason }: z.output<typeof RevealParams>,
  ): Promise<{ field: typeof field; value: string | null }> {
    if (!mayReveal(ROLE_FIELD_POLICIES[user.role], field)) {
      throw new DeskError(
        'FORBIDDEN',
        `The ${user.role} role may not reveal ${field} (${FIELD_CLASSIFICATION[field]} data)`,
      );
    }
    this.take(user.id);
    const order = await this.deps.orders.get(orderId);
    if (!order) throw new DeskError('NOT_FOUND', `No order with id ${orderId}`);
    const value = fieldValue(order, field);
    await this.deps.audit.record({
      actor: user.id,
      action: 'field.reveal',
      target: orderId,
      details: { field, reason, version: order.version },
    });
    return { field, value: typeof value === 'string' ? value : null };
  }

  /** Counts one reveal for `userId`, or RATE_LIMITED when the window is full. */
  private take(userId: string): void {
    const now = this.now();
    const times = (this.recent.get(userId) ?? []).filter((at) => at > now - this.limits.windowMs);
    if (times.length >= this.limits.perWindow) {
      this.recent.set(userId, times);
      throw new DeskError(
        'RATE_LIMITED',
        `At most ${this.limits.perWindow} reveals per ${Math.round(this.limits.windowMs / 60_000)} minutes: ask a supervisor if you need more`,
      );
    }
    times.push(now);
    this.recent.set(userId, times);
  }
}
