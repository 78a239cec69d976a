import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Role, type AgentUser } from '../../shared/domain';
import { DeskError } from '../../shared/errors';

export const DEFAULT_TOKEN_TTL_SECONDS = 60 * 60;

const TokenClaims = z.object({
  sub: z.string().min(1),
  role: Role,
  iat: z.number().int(),
  exp: z.number().int(),
  /** The refresh token family (sign-in) the token belongs to: signing out ends the token too. */
  sid: z.string().min(1).optional(),
});
export type TokenClaims = z.infer<typeof TokenClaims>;

export interface IssuedToken {
  token: string;
  claims: TokenClaims;
}

/**
 * Compact signed session tokens: `base64url(JSON claims).base64url(HMAC-SHA256)`.
 * Stateless, so any gateway process sharing the secret accepts them.
 */
export class TokenService {
  constructor(
    private readonly secret: Buffer,
    private readonly ttlSeconds: number = DEFAULT_TOKEN_TTL_SECONDS,
    private readonly now: () => number = Date.now,
  ) {}

  issue(user: AgentUser, familyId?: string): IssuedToken {
    const iat = Math.floor(this.now() / 1000);
    const claims: TokenClaims = {
      sub: user.id,
      role: user.role,
      iat,
      exp: iat + this.ttlSeconds,
      ...(familyId === undefined ? {} : { sid: familyId }),
    };
    const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    return { token: `${payload}.${this.sign(payload)}`, claims };
  }

  /** The token's claims; UNAUTHENTICATED if it is malformed, forged or expired. */
  verify(token: string): TokenClaims {
    const parts = token.split('.');
    const [payload, signature] = parts;
    if (parts.length !== 2 || !payload || !signature) throw invalidToken();
    // Compared as text: base64 decoding ignores stray characters, which would let a token vary.
    const expected = Buffer.from(this.sign(payload), 'utf8');
    const actual = Buffer.from(signature, 'utf8');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw invalidToken();

    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalidToken();
    }
    const claims = TokenClaims.safeParse(json);
    if (!claims.success) throw invalidToken();
    if (claims.data.exp <= Math.floor(this.now() / 1000)) {
      throw new DeskError('UNAUTHENTICATED', 'Session token expired: sign in again');
    }
    return claims.data;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

function invalidToken(): DeskError {
  return new DeskError('UNAUTHENTICATED', 'Invalid session token');
}
