import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Role, type AgentUser } from '../../shared/domain';
import { DeskError } from '../../shared/errors';
import type { SigningKey, TokenKeys } from '../keys/key-ring';

export const DEFAULT_TOKEN_TTL_SECONDS = 60 * 60;
/** How far ahead of this gateway's clock another node's `iat` may be. */
export const MAX_CLOCK_SKEW_SECONDS = 60;

const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

const TokenClaims = z.object({
  sub: z.string().min(1),
  role: Role,
  iat: z.number().int(),
  exp: z.number().int(),
  /** The refresh token family (sign-in) the token belongs to: signing out ends the token too. */
  sid: z.string().min(1),
});
export type TokenClaims = z.infer<typeof TokenClaims>;

export interface IssuedToken {
  token: string;
  claims: TokenClaims;
}

/**
 * Compact signed session tokens: `kid.base64url(JSON claims).base64url(HMAC-SHA256)`, the MAC
 * over `kid.claims` with the token key `kid` names. Stateless, so any gateway process with the
 * same key file accepts them. A token must belong to a sign-in (`sid`, so that signing out ends
 * it) and may not live longer than the configured TTL, whatever its `exp` says.
 */
export class TokenService {
  constructor(
    private readonly keys: TokenKeys,
    private readonly ttlSeconds: number = DEFAULT_TOKEN_TTL_SECONDS,
    private readonly now: () => number = Date.now,
  ) {}

  issue(user: AgentUser, familyId: string): IssuedToken {
    const iat = Math.floor(this.now() / 1000);
    const claims: TokenClaims = {
      sub: user.id,
      role: user.role,
      iat,
      exp: iat + this.ttlSeconds,
      sid: familyId,
    };
    const key = this.keys.currentTokenKey();
    const signed = `${key.id}.${Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url')}`;
    return { token: `${signed}.${mac(key, signed)}`, claims };
  }

  /** The token's claims; UNAUTHENTICATED if it is malformed, forged, expired or too long-lived. */
  verify(token: string): TokenClaims {
    const parts = token.split('.');
    const [keyId, payload, signature] = parts;
    if (parts.length !== 3 || !keyId || !payload || !signature || !KEY_ID.test(keyId)) throw invalidToken();
    const nowMs = this.now();
    const nowSeconds = Math.floor(nowMs / 1000);
    const key = this.keys.tokenKey(keyId);
    if (!key || !this.keyAcceptedAt(key, nowMs)) throw invalidToken();
    // Compared as text: base64 decoding ignores stray characters, which would let a token vary.
    const expected = Buffer.from(mac(key, `${keyId}.${payload}`), 'utf8');
    const actual = Buffer.from(signature, 'utf8');
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw invalidToken();

    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalidToken();
    }
    const parsed = TokenClaims.safeParse(json);
    if (!parsed.success) throw invalidToken();
    const claims = parsed.data;
    // A correctly signed token that outlives the TTL or comes from the future was not issued by
    // this configuration: refused, not trusted for as long as it claims.
    if (claims.exp - claims.iat > this.ttlSeconds || claims.exp <= claims.iat) throw invalidToken();
    if (claims.iat > nowSeconds + MAX_CLOCK_SKEW_SECONDS) throw invalidToken();
    if (claims.exp <= nowSeconds) {
      throw new DeskError('UNAUTHENTICATED', 'Session token expired: sign in again');
    }
    return claims;
  }

  /** A retired key still verifies for one TTL after it retired: the tokens it signed then. */
  private keyAcceptedAt(key: SigningKey, nowMs: number): boolean {
    return key.retiredAtMs === null || nowMs < key.retiredAtMs + this.ttlSeconds * 1000;
  }
}

function mac(key: SigningKey, signed: string): string {
  return createHmac('sha256', key.secret).update(signed).digest('base64url');
}

function invalidToken(): DeskError {
  return new DeskError('UNAUTHENTICATED', 'Invalid session token');
}
