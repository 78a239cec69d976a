import type { AgentUser } from '../../shared/domain';
import { DeskError } from '../../shared/errors';
import type { LoginResult } from '../../shared/protocol';
import { hashPassword, verifyPassword } from './password-hash';
import type { TokenService } from './token-service';
import type { UserStore } from './user-store';

/** Who a connection speaks for, and until when. */
export interface Session {
  user: AgentUser;
  expiresAtMs: number;
}

const WRONG_CREDENTIALS = 'Wrong username or password';

export class AuthService {
  /** Verified against for unknown usernames, so both kinds of failure take the same time. */
  private readonly decoyHash = hashPassword('decoy password for unknown usernames');

  constructor(
    private readonly users: UserStore,
    private readonly tokens: TokenService,
  ) {}

  async login(username: string, password: string): Promise<{ result: LoginResult; session: Session }> {
    const found = await this.users.findByUsername(username);
    const passwordHash = found?.passwordHash ?? (await this.decoyHash);
    const passwordOk = await verifyPassword(password, passwordHash);
    if (!found || !passwordOk) throw new DeskError('UNAUTHENTICATED', WRONG_CREDENTIALS);

    const { token, claims } = this.tokens.issue(found.user);
    const expiresAtMs = claims.exp * 1000;
    return {
      // Refresh tokens are being added in parallel (issue 3): until then the access token's lifetime applies.
      result: {
        token,
        expiresAt: new Date(expiresAtMs).toISOString(),
        refreshToken: '',
        refreshExpiresAt: new Date(expiresAtMs).toISOString(),
        user: found.user,
      },
      session: { user: found.user, expiresAtMs },
    };
  }

  /** The session a token stands for; the user is re-read so a changed role applies at once. */
  async resume(token: string): Promise<Session> {
    const claims = this.tokens.verify(token);
    const user = await this.users.findById(claims.sub);
    if (!user) throw new DeskError('UNAUTHENTICATED', 'Invalid session token');
    return { user, expiresAtMs: claims.exp * 1000 };
  }
}
