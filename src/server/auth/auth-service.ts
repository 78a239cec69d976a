import { createHash, randomBytes } from 'node:crypto';
import type { AgentUser, Role } from '../../shared/domain';
import { DeskError } from '../../shared/errors';
import type { LoginResult } from '../../shared/protocol';
import { defaultRoleView, type RoleView } from '../../shared/role-views';
import { LoginThrottle, type Lockout } from './login-throttle';
import { hashPassword, verifyPassword } from './password-hash';
import type { RefreshTokenRecord, RefreshTokenStore } from './refresh-token-store';
import type { TokenService } from './token-service';
import type { UserStore } from './user-store';

/** Who a connection speaks for, and until when. */
export interface Session {
  user: AgentUser;
  expiresAtMs: number;
  /** The sign-in (refresh token family) behind the session: ending it ends the session. */
  refreshFamilyId: string;
}

export const DEFAULT_REFRESH_TTL_SECONDS = 12 * 60 * 60;

const WRONG_CREDENTIALS = 'Wrong username or password';
const REFRESH_TOKEN_BYTES = 32;
/**
 * How long after a refresh the used token may be presented again as a retry: a desk whose
 * connection dropped before the answer arrived still holds it. Only while what it was traded for
 * is unused; that one is then retired, so if it did reach someone, its use ends the sign-in.
 */
export const REFRESH_RETRY_WINDOW_MS = 30_000;

export interface AuthServiceOptions {
  refreshTtlSeconds?: number;
  now?: () => number;
  /** The role's stored view, delivered with every sign-in and refresh (default: the built-in one). */
  viewOf?: (role: Role) => RoleView;
  /**
   * Called when this service ends a sign-in (sign-out, a refresh token presented twice), so that
   * every connection using it ends at once, not only at its next request.
   */
  onSignInEnded?: (familyId: string) => void;
  /** Sign-in throttling (default: LoginThrottle with its default limits). */
  throttle?: LoginThrottle;
  /** A refused sign-in (wrong credentials, or throttled): logged, and audited when a wait starts. */
  onLoginRefused?: (refusal: LoginRefusal) => void;
}

export interface LoginRefusal {
  username: string;
  address: string;
  /** Refused unchecked, because of an earlier run of wrong passwords. */
  throttled: boolean;
  /** The waits this wrong password started. */
  lockouts: Lockout[];
}

/**
 * Sign-in, token refresh and sign-out. Access tokens are short-lived and stateless; refresh tokens
 * are single use: each refresh trades one for a new pair, and a token presented twice (stolen and
 * used by someone else, or by the thief after the owner) ends its whole sign-in.
 */
export class AuthService {
  /** Verified against for unknown usernames, so both kinds of failure take the same time. */
  private readonly decoyHash = hashPassword('decoy password for unknown usernames');
  private readonly refreshTtlMs: number;
  private readonly now: () => number;
  private readonly viewOf: (role: Role) => RoleView;
  private readonly onSignInEnded: (familyId: string) => void;
  private readonly throttle: LoginThrottle;
  private readonly onLoginRefused: (refusal: LoginRefusal) => void;

  constructor(
    private readonly users: UserStore,
    private readonly tokens: TokenService,
    private readonly refreshTokens: RefreshTokenStore,
    options: AuthServiceOptions = {},
  ) {
    this.refreshTtlMs = (options.refreshTtlSeconds ?? DEFAULT_REFRESH_TTL_SECONDS) * 1000;
    this.now = options.now ?? Date.now;
    this.viewOf = options.viewOf ?? defaultRoleView;
    this.onSignInEnded = options.onSignInEnded ?? (() => undefined);
    this.throttle = options.throttle ?? new LoginThrottle(undefined, this.now);
    this.onLoginRefused = options.onLoginRefused ?? (() => undefined);
  }

  /**
   * Signs in from `address` (the client's). Throttled before the password is looked at, the same
   * way whether or not the username exists, so neither the answer nor its timing tells.
   */
  async login(
    username: string,
    password: string,
    address: string,
  ): Promise<{ result: LoginResult; session: Session }> {
    const attempt = this.throttle.attempt(username, address);
    if ('waitMs' in attempt) {
      const seconds = Math.ceil(attempt.waitMs / 1000);
      this.onLoginRefused({ username, address, throttled: true, lockouts: [] });
      throw new DeskError('RATE_LIMITED', `Too many sign-in attempts: try again in ${seconds} s`, {
        retryAfterMs: attempt.waitMs,
      });
    }
    const found = await this.users.findByUsername(username);
    const passwordHash = found?.passwordHash ?? (await this.decoyHash);
    const passwordOk = await verifyPassword(password, passwordHash);
    if (!found || !passwordOk) {
      this.onLoginRefused({ username, address, throttled: false, lockouts: attempt.lockouts });
      throw new DeskError('UNAUTHENTICATED', WRONG_CREDENTIALS);
    }
    attempt.succeeded();

    const refreshToken = newRefreshToken();
    const refreshExpiresAtMs = this.now() + this.refreshTtlMs;
    const familyId = await this.refreshTokens.startFamily(
      found.user.id,
      hashRefreshToken(refreshToken),
      refreshExpiresAtMs,
      this.now(),
    );
    return this.issue(found.user, familyId, refreshToken, refreshExpiresAtMs);
  }

  /** Trades a refresh token for a new access token and refresh token (rotation). */
  async refresh(refreshToken: string): Promise<{ result: LoginResult; session: Session }> {
    const usedHash = hashRefreshToken(refreshToken);
    const record = await this.refreshTokens.find(usedHash);
    if (!record || record.familyRevoked) throw new DeskError('UNAUTHENTICATED', 'Invalid refresh token');
    const retry = record.usedAtMs !== null && this.isRetry(record);
    if (record.usedAtMs !== null && !retry) return this.refuseReuse(record.familyId);
    if (record.expiresAtMs <= this.now()) {
      throw new DeskError('UNAUTHENTICATED', 'Refresh token expired: sign in again');
    }
    const user = await this.users.findById(record.userId);
    if (!user) throw new DeskError('UNAUTHENTICATED', 'Invalid refresh token');

    const nextToken = newRefreshToken();
    const nextHash = hashRefreshToken(nextToken);
    const nextExpiresAtMs = this.now() + this.refreshTtlMs;
    const rotated = retry
      ? await this.refreshTokens.rotateAgain(
          usedHash,
          record.successor!.hash,
          nextHash,
          nextExpiresAtMs,
          this.now(),
        )
      : await this.refreshTokens.rotate(usedHash, nextHash, nextExpiresAtMs, this.now());
    // Another refresh with the same token got there first: the token was presented twice.
    if (!rotated) return this.refuseReuse(record.familyId);
    return this.issue(user, record.familyId, nextToken, nextExpiresAtMs);
  }

  /** A used token presented again soon, while what it was traded for is unused: a lost answer. */
  private isRetry(record: RefreshTokenRecord): boolean {
    return (
      record.successor !== null &&
      record.successor.unused &&
      this.now() - record.usedAtMs! <= REFRESH_RETRY_WINDOW_MS
    );
  }

  /** Ends the session's sign-in: its refresh tokens and access tokens stop working. */
  async logout(session: Session): Promise<void> {
    await this.refreshTokens.revokeFamily(session.refreshFamilyId, 'logout', this.now());
    this.onSignInEnded(session.refreshFamilyId);
  }

  /** The session a token stands for, while its user keeps the role the token was issued for. */
  async resume(token: string): Promise<Session> {
    const claims = this.tokens.verify(token);
    const session = await this.currentSession(claims.sub, claims.exp * 1000, claims.sid);
    // The desk's view and cache belong to the role it signed in with.
    if (session.user.role !== claims.role)
      throw new DeskError('UNAUTHENTICATED', 'Your role changed: sign in again');
    return session;
  }

  /**
   * The session with its user as stored now, so a role change applies to the next request;
   * UNAUTHENTICATED once the user is gone or the sign-in ended (sign-out, refresh token reuse).
   */
  revalidate(session: Session): Promise<Session> {
    return this.currentSession(session.user.id, session.expiresAtMs, session.refreshFamilyId);
  }

  private async currentSession(
    userId: string,
    expiresAtMs: number,
    refreshFamilyId: string,
  ): Promise<Session> {
    const user = await this.users.findById(userId);
    if (!user) throw new DeskError('UNAUTHENTICATED', 'Invalid session token');
    if (!(await this.refreshTokens.isFamilyActive(refreshFamilyId))) {
      throw new DeskError('UNAUTHENTICATED', 'Signed out: sign in again');
    }
    return { user, expiresAtMs, refreshFamilyId };
  }

  private issue(
    user: AgentUser,
    familyId: string,
    refreshToken: string,
    refreshExpiresAtMs: number,
  ): { result: LoginResult; session: Session } {
    const { token, claims } = this.tokens.issue(user, familyId);
    const expiresAtMs = claims.exp * 1000;
    return {
      result: {
        token,
        expiresAt: new Date(expiresAtMs).toISOString(),
        refreshToken,
        refreshExpiresAt: new Date(refreshExpiresAtMs).toISOString(),
        user,
        view: this.viewOf(user.role),
      },
      session: { user, expiresAtMs, refreshFamilyId: familyId },
    };
  }

  private async refuseReuse(familyId: string): Promise<never> {
    await this.refreshTokens.revokeFamily(familyId, 'reuse', this.now());
    this.onSignInEnded(familyId);
    throw new DeskError('UNAUTHENTICATED', 'Refresh token already used: sign in again');
  }
}

/** 32 random bytes: unguessable, so a fast hash is enough to keep the stored copies useless. */
function newRefreshToken(): string {
  return randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');
}

function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
