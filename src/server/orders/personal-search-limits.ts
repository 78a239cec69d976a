import type { Logger } from 'pino';
import type { AgentUser } from '../../shared/domain';
import { DeskError } from '../../shared/errors';
import { TokenBucket } from '../../shared/token-bucket';
import type { AuditLog } from '../audit/audit-log';
import type { PersonalSearch } from './search-plan';

export interface PersonalSearchLimits {
  /** Searches by name or phone one agent may make at once... */
  burst: number;
  /** ...and sustained, per minute... */
  perMinute: number;
  /** ...and in any hour, however they are paced. */
  perHour: number;
}

/**
 * Generous for the floor (a screen pop is one search per call, search-as-you-type a few per
 * name; a busy agent makes well under 150 an hour), far too few to guess a whole phone number
 * behind a mask, and an hour's cap so that even a slow, paced guessing run is stopped and audited.
 */
export const DEFAULT_PERSONAL_SEARCH_LIMITS: PersonalSearchLimits = {
  burst: 60,
  perMinute: 30,
  perHour: 400,
};

interface AgentBudget {
  minute: TokenBucket;
  hour: TokenBucket;
  /** Refused searches since the last one admitted; the first refusal of a run is audited. */
  refusedInRow: number;
}

/**
 * Searches on personal data (names, phones), counted per agent across all of the agent's
 * connections. Past a limit a search is refused with RATE_LIMITED and how long to wait; the first
 * refusal of a run is audited (`search.burst`), so a scripted lookup leaves a trace without
 * flooding the audit log.
 */
export class PersonalSearchGuard {
  private readonly budgets = new Map<string, AgentBudget>();

  constructor(
    private readonly deps: { audit: AuditLog; logger: Logger },
    private readonly limits: PersonalSearchLimits = DEFAULT_PERSONAL_SEARCH_LIMITS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts one search on `kind` for `user`; RATE_LIMITED (with retryAfterMs) past a limit. */
  async admit(user: AgentUser, kind: PersonalSearch): Promise<void> {
    const budget = this.budgetOf(user.id);
    // Checked before either is taken from, so a refusal spends nothing.
    const waitMs = Math.max(budget.minute.msUntilToken(), budget.hour.msUntilToken());
    if (waitMs === 0) {
      budget.minute.tryTake();
      budget.hour.tryTake();
      budget.refusedInRow = 0;
      return;
    }
    budget.refusedInRow += 1;
    const limit = budget.hour.msUntilToken() > 0 ? 'hour' : 'minute';
    if (budget.refusedInRow === 1) {
      this.deps.logger.warn(
        { userId: user.id, role: user.role, kind, limit },
        'personal-data searches refused',
      );
      await this.deps.audit.record({
        actor: user.id,
        action: 'search.burst',
        target: user.id,
        details: { kind, limit, ...this.limits },
      });
    }
    throw new DeskError(
      'RATE_LIMITED',
      limit === 'hour'
        ? `Too many searches by name or phone this hour (at most ${this.limits.perHour}): ask a supervisor`
        : `Too many searches by name or phone: at most ${this.limits.perMinute} a minute. Try again shortly.`,
      { retryAfterMs: waitMs },
    );
  }

  private budgetOf(userId: string): AgentBudget {
    let budget = this.budgets.get(userId);
    if (!budget) {
      const { burst, perMinute, perHour } = this.limits;
      budget = {
        minute: new TokenBucket(perMinute / 60, burst, this.now),
        hour: new TokenBucket(perHour / 3600, perHour, this.now),
        refusedInRow: 0,
      };
      this.budgets.set(userId, budget);
    }
    return budget;
  }
}
