import type { Logger } from 'pino';
import type { AgentUser } from '../../shared/domain';
import { DeskError } from '../../shared/errors';
import type { AuditLog } from '../audit/audit-log';

export interface WrongCodeLimits {
  /** Wrong, used or expired codes one agent may try in any minute... */
  perMinute: number;
  /** ...and in any hour, however they are paced. */
  perHour: number;
}

/**
 * An agent mistypes a code now and then; ten a minute is plenty for that and, with at most 60 an
 * hour, a guesser tries 60 of a million codes an hour: with a hundred sessions waiting, about
 * one chance in 170 an hour, and every run of refusals is in the audit log.
 */
export const DEFAULT_WRONG_CODE_LIMITS: WrongCodeLimits = { perMinute: 10, perHour: 60 };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Agents tracked at most (the one idle longest is forgotten first). */
const MAX_TRACKED_AGENTS = 10_000;

interface AgentTries {
  /** When the agent's wrong codes of the last hour were tried, oldest first. */
  wrongAt: number[];
  /** Refusals since the run started; the first of a run is audited. */
  refusedInRun: number;
}

/**
 * Wrong co-browse codes, counted per agent across all the agent's connections (sliding minute
 * and hour). Past a limit a join is refused with RATE_LIMITED and how long to wait, before the
 * code is even looked at, so a refused try learns nothing. The first refusal of a run is audited
 * (`cobrowse.code_limit`, never the codes); a run ends when the agent joins a session or tries no
 * wrong code for a whole minute.
 */
export class WrongCodeGuard {
  private readonly agents = new Map<string, AgentTries>();

  constructor(
    private readonly deps: { audit: AuditLog; logger: Logger },
    private readonly limits: WrongCodeLimits = DEFAULT_WRONG_CODE_LIMITS,
    /** Epoch ms; injectable so tests can move time. */
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws RATE_LIMITED (auditing the first refusal of a run) while `user` is over a limit. */
  async admit(user: AgentUser): Promise<void> {
    const tries = this.triesOf(user.id);
    const now = this.now();
    const lastMinute = tries.wrongAt.filter((at) => at > now - MINUTE_MS);
    const minuteFull = lastMinute.length >= this.limits.perMinute;
    const hourFull = tries.wrongAt.length >= this.limits.perHour;
    if (!minuteFull && !hourFull) {
      // A quiet minute ends the run: a guesser pacing just under the limit stays in one run.
      if (lastMinute.length === 0) tries.refusedInRun = 0;
      return;
    }

    const limit = hourFull ? 'hour' : 'minute';
    const freeAt = hourFull
      ? tries.wrongAt[tries.wrongAt.length - this.limits.perHour]! + HOUR_MS
      : lastMinute[lastMinute.length - this.limits.perMinute]! + MINUTE_MS;
    tries.refusedInRun += 1;
    if (tries.refusedInRun === 1) {
      this.deps.logger.warn({ userId: user.id, role: user.role, limit }, 'co-browse codes refused');
      await this.deps.audit.record({
        actor: user.id,
        action: 'cobrowse.code_limit',
        target: user.id,
        details: { limit, wrongCodesLastHour: tries.wrongAt.length, ...this.limits },
      });
    }
    throw new DeskError(
      'RATE_LIMITED',
      limit === 'hour'
        ? `Too many wrong co-browse codes this hour (at most ${this.limits.perHour}): ask the customer for a new code later`
        : `Too many wrong co-browse codes: at most ${this.limits.perMinute} a minute. Try again shortly.`,
      { retryAfterMs: Math.max(1, Math.ceil(freeAt - now)) },
    );
  }

  /** Counts one wrong, used or expired code. */
  wrong(user: AgentUser): void {
    this.triesOf(user.id).wrongAt.push(this.now());
  }

  /** The agent joined a session: the run of refusals is over (the wrong codes still count). */
  joined(user: AgentUser): void {
    const tries = this.agents.get(user.id);
    if (tries) tries.refusedInRun = 0;
  }

  private triesOf(userId: string): AgentTries {
    const now = this.now();
    let tries = this.agents.get(userId);
    if (tries) this.agents.delete(userId);
    else tries = { wrongAt: [], refusedInRun: 0 };
    tries.wrongAt = tries.wrongAt.filter((at) => at > now - HOUR_MS);
    this.agents.set(userId, tries);
    if (this.agents.size > MAX_TRACKED_AGENTS) this.agents.delete(this.agents.keys().next().value!);
    return tries;
  }
}
