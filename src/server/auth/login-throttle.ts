export interface LoginThrottleLimits {
  /** Wrong passwords for one username from one address before each further try waits. */
  freePerUserAndAddress: number;
  /** Wrong passwords from one address, whatever the usernames (spraying), before waits start. */
  freePerAddress: number;
  /**
   * Wrong passwords for one username from all addresses (a distributed guess) before waits start
   * for addresses the user has not signed in from; the user's own addresses are not slowed.
   */
  freePerUser: number;
  /** The first wait; each further wrong password doubles it... */
  firstWaitMs: number;
  /** ...up to this lockout. */
  maxWaitMs: number;
  /** Wrong passwords older than this are forgotten. */
  windowMs: number;
}

/**
 * Five tries for a typo at the start of a shift; an address shared by a whole site (one NAT) has
 * room for a hundred typos in a quarter hour. A guess at one password from one address gets about
 * 18 tries in its first hour (5 free, then waits of 1 s, 2 s, ... 512 s) and 4 an hour after that.
 */
export const DEFAULT_LOGIN_THROTTLE_LIMITS: LoginThrottleLimits = {
  freePerUserAndAddress: 5,
  freePerAddress: 100,
  freePerUser: 50,
  firstWaitMs: 1_000,
  maxWaitMs: 15 * 60_000,
  windowMs: 15 * 60_000,
};

/** An address the user signed in from is remembered this long (it is not slowed by a distributed guess). */
const KNOWN_ADDRESS_MS = 30 * 24 * 60 * 60_000;
/** Bounds the memory an attacker can make the gateway spend on made-up usernames and addresses. */
const MAX_TRACKED = 100_000;

type ThrottleKind = 'user_and_address' | 'address' | 'user';

interface Failures {
  count: number;
  lastAtMs: number;
  lockedUntilMs: number;
}

/** An attempt admitted and counted as a wrong password until its password proves right. */
export interface LoginAttempt {
  /** The waits this attempt started, should its password be wrong (for the audit log). */
  lockouts: Lockout[];
  succeeded(): void;
}

/** A wait just imposed on one key: what the audit log records. */
export interface Lockout {
  kind: ThrottleKind;
  username: string;
  address: string;
  failures: number;
  waitMs: number;
}

/**
 * Sign-in throttling with exponential back-off, per username and address, per address, and per
 * username across addresses. It knows nothing of whether a username exists: unknown and known
 * usernames are throttled alike, so the answers do not tell them apart. Keys are the username as
 * typed (lower-cased) and the client address. In memory: one gateway process (see issue notes on
 * sharing limits across nodes).
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();
  /** `user|address` pairs that signed in, with when. */
  private readonly knownAddresses = new Map<string, number>();

  constructor(
    private readonly limits: LoginThrottleLimits = DEFAULT_LOGIN_THROTTLE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Starts a sign-in attempt: refused with the time to wait while any of its keys waits, else
   * counted as a wrong password at once, before the password is checked, so that tries sent in
   * parallel on many connections are counted too. A correct password takes it back (succeeded).
   */
  attempt(username: string, address: string): { waitMs: number } | LoginAttempt {
    const now = this.now();
    const keys = this.keysFor(username, address);
    const lockedUntil = Math.max(...keys.map(([key]) => this.current(key, now)?.lockedUntilMs ?? 0));
    if (lockedUntil > now) return { waitMs: lockedUntil - now };

    const lockouts: Lockout[] = [];
    const before = new Map<string, Failures | undefined>();
    for (const [key, kind, free] of keys) {
      const previous = this.current(key, now);
      before.set(key, previous && { ...previous });
      const entry = previous ?? { count: 0, lastAtMs: now, lockedUntilMs: 0 };
      entry.count += 1;
      entry.lastAtMs = now;
      if (entry.count > free) {
        const waitMs = Math.min(
          this.limits.maxWaitMs,
          this.limits.firstWaitMs * 2 ** (entry.count - free - 1),
        );
        entry.lockedUntilMs = now + waitMs;
        lockouts.push({ kind, username: normalise(username), address, failures: entry.count, waitMs });
      }
      this.remember(this.failures, key, entry);
    }
    return {
      lockouts,
      succeeded: () => {
        // The username's tries from this address start over; the shared keys get their count back.
        this.failures.delete(pairKey(username, address));
        for (const [key, previous] of before) {
          if (key === pairKey(username, address)) continue;
          if (previous) this.failures.set(key, previous);
          else this.failures.delete(key);
        }
        this.remember(this.knownAddresses, pairKey(username, address), this.now());
      },
    };
  }

  /** The keys an attempt is counted under, with their free tries. */
  private keysFor(username: string, address: string): [string, ThrottleKind, number][] {
    const keys: [string, ThrottleKind, number][] = [
      [pairKey(username, address), 'user_and_address', this.limits.freePerUserAndAddress],
      [`a|${address}`, 'address', this.limits.freePerAddress],
    ];
    const knownAt = this.knownAddresses.get(pairKey(username, address));
    if (knownAt === undefined || this.now() - knownAt > KNOWN_ADDRESS_MS) {
      keys.push([`u|${normalise(username)}`, 'user', this.limits.freePerUser]);
    }
    return keys;
  }

  /** The key's failures inside the window, or undefined (forgetting older ones). */
  private current(key: string, now: number): Failures | undefined {
    const entry = this.failures.get(key);
    if (!entry) return undefined;
    if (now - entry.lastAtMs > this.limits.windowMs && entry.lockedUntilMs <= now) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Sets a key, dropping the oldest once the map is full (Maps iterate in insertion order). */
  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > MAX_TRACKED) map.delete(map.keys().next().value!);
  }
}

function normalise(username: string): string {
  return username.trim().toLowerCase().slice(0, 64);
}

function pairKey(username: string, address: string): string {
  return `p|${normalise(username)}|${address}`;
}
