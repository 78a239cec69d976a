import { randomInt } from 'node:crypto';
import { COBROWSE_CODE_TTL_MS } from '../../shared/cobrowse-protocol';
import { TokenBucket } from '../../shared/token-bucket';
import { addressLimitKey } from '../edge/client-address';

export interface CodeLimits {
  /** Sessions waiting for an agent (code not yet used) from one client address (an IPv6 /64). */
  waitingPerAddress: number;
  /** New codes one address may ask for at once... */
  codeBurstPerAddress: number;
  /** ...and per hour, sustained. */
  codesPerAddressPerHour: number;
  /** Codes waiting in total: a tenth of the code space, so a guess hits a live code at most 1 in 10. */
  maxWaiting: number;
}

/**
 * A customer asks for help a few times in a visit at most; a household or an office behind one
 * address has room for twenty sessions waiting at once. Nobody can fill the million codes: an
 * address gets 20 at once and 60 an hour, and the whole gateway holds at most 100,000.
 */
export const DEFAULT_CODE_LIMITS: CodeLimits = {
  waitingPerAddress: 20,
  codeBurstPerAddress: 20,
  codesPerAddressPerHour: 60,
  maxWaiting: 100_000,
};

/** Why a code was not issued (a metric label: keep the set fixed). */
export const CODE_REFUSALS = ['address_waiting', 'address_rate', 'gateway_full'] as const;
export type CodeRefusal = (typeof CODE_REFUSALS)[number];

export type CodeIssue =
  | { issued: true; code: string; expiresAtMs: number }
  | { issued: false; refusal: CodeRefusal; retryAfterMs: number };

interface LiveCode {
  sessionId: string;
  expiresAtMs: number;
  addressKey: string;
}

const CODE_SPACE = 1_000_000;
/** Per-address creation budgets kept at most (the oldest is forgotten first). */
const MAX_TRACKED_ADDRESSES = 100_000;

/**
 * The 6-digit codes customers read out to agents: random (crypto.randomInt), unique among live
 * codes, single use (consume removes it), valid COBROWSE_CODE_TTL_MS. In memory only: a code is
 * worth nothing once its session is gone.
 */
export class CobrowseCodes {
  private readonly live = new Map<string, LiveCode>();
  private readonly bySession = new Map<string, string>();
  /** The live codes asked for from each address (at most waitingPerAddress each). */
  private readonly waitingByAddress = new Map<string, Set<string>>();
  private readonly budgets = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: CodeLimits = DEFAULT_CODE_LIMITS,
    /** Epoch ms; injectable so tests can move time. */
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = COBROWSE_CODE_TTL_MS,
  ) {}

  /** A new code for `sessionId`, asked for from `address`; or why not and how long to wait. */
  issue(sessionId: string, address: string): CodeIssue {
    const addressKey = addressLimitKey(address);
    if (this.live.size >= this.limits.maxWaiting) {
      return { issued: false, refusal: 'gateway_full', retryAfterMs: 60_000 };
    }
    const fromAddress = this.waitingByAddress.get(addressKey) ?? new Set<string>();
    if (fromAddress.size >= this.limits.waitingPerAddress) {
      return { issued: false, refusal: 'address_waiting', retryAfterMs: this.soonestExpiry(fromAddress) };
    }
    const budget = this.budgetOf(addressKey);
    if (!budget.tryTake())
      return { issued: false, refusal: 'address_rate', retryAfterMs: budget.msUntilToken() };

    let code: string;
    do code = String(randomInt(0, CODE_SPACE)).padStart(6, '0');
    while (this.live.has(code));
    const expiresAtMs = this.now() + this.ttlMs;
    this.live.set(code, { sessionId, expiresAtMs, addressKey });
    this.bySession.set(sessionId, code);
    this.waitingByAddress.set(addressKey, fromAddress.add(code));
    return { issued: true, code, expiresAtMs };
  }

  /** The session a live code opens, using the code up; null for a wrong, used or expired code. */
  consume(code: string): string | null {
    const entry = this.live.get(code);
    if (!entry) return null;
    this.remove(code, entry);
    return entry.expiresAtMs > this.now() ? entry.sessionId : null;
  }

  /** Withdraws the session's code, if it still has one (the session ended before a join). */
  withdraw(sessionId: string): void {
    const code = this.bySession.get(sessionId);
    const entry = code === undefined ? undefined : this.live.get(code);
    if (code !== undefined && entry) this.remove(code, entry);
  }

  /** Whether the session's code is still live (nobody joined with it, not expired). */
  isWaiting(sessionId: string): boolean {
    const code = this.bySession.get(sessionId);
    const entry = code === undefined ? undefined : this.live.get(code);
    return entry !== undefined && entry.expiresAtMs > this.now();
  }

  /** Sessions whose code expired unused (their codes are removed); the rooms call it now and then. */
  sweep(): string[] {
    const now = this.now();
    const expired: string[] = [];
    for (const [code, entry] of this.live) {
      if (entry.expiresAtMs > now) continue;
      this.remove(code, entry);
      expired.push(entry.sessionId);
    }
    return expired;
  }

  get waiting(): number {
    return this.live.size;
  }

  private remove(code: string, entry: LiveCode): void {
    this.live.delete(code);
    this.bySession.delete(entry.sessionId);
    const fromAddress = this.waitingByAddress.get(entry.addressKey);
    fromAddress?.delete(code);
    if (fromAddress?.size === 0) this.waitingByAddress.delete(entry.addressKey);
  }

  /** How long until the first of these codes expires (and its address may ask again). */
  private soonestExpiry(codes: ReadonlySet<string>): number {
    let soonest = this.now() + this.ttlMs;
    for (const code of codes) soonest = Math.min(soonest, this.live.get(code)?.expiresAtMs ?? soonest);
    return Math.max(0, soonest - this.now());
  }

  private budgetOf(addressKey: string): TokenBucket {
    let budget = this.budgets.get(addressKey);
    if (budget) {
      // Most recently used last: the oldest is forgotten first once the map is full.
      this.budgets.delete(addressKey);
    } else {
      budget = new TokenBucket(
        this.limits.codesPerAddressPerHour / 3600,
        this.limits.codeBurstPerAddress,
        this.now,
      );
    }
    this.budgets.set(addressKey, budget);
    if (this.budgets.size > MAX_TRACKED_ADDRESSES) this.budgets.delete(this.budgets.keys().next().value!);
    return budget;
  }
}
