/**
 * Refresh tokens, stored as hashes. A family is one sign-in: the token login issued and every
 * token rotated from it. Async so that a PostgreSQL implementation can replace the SQLite one.
 */
export interface RefreshTokenRecord {
  familyId: string;
  userId: string;
  expiresAtMs: number;
  /** Set once the token was traded for a new one: presenting it again means it leaked. */
  usedAtMs: number | null;
  /** The hash of the token it was traded for, and whether that one is still unused. */
  successor: { hash: string; unused: boolean } | null;
  familyRevoked: boolean;
}

/** Why a sign-in ended: the agent signed out, a token was used twice, an operator acted. */
export type FamilyRevokeReason = 'logout' | 'reuse' | 'role_change' | 'operator';

export interface RefreshTokenStore {
  /** Starts a family with its first token; returns the family id. */
  startFamily(userId: string, tokenHash: string, expiresAtMs: number, nowMs: number): Promise<string>;
  find(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /**
   * Marks `usedHash` used and adds `nextHash` to its family, atomically; false (and nothing
   * changed) if the token was used meanwhile, i.e. a concurrent refresh won.
   */
  rotate(usedHash: string, nextHash: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
  /**
   * A retry of a rotation whose answer was lost: retires the unused `successorHash` (which must
   * still be unused) and adds `nextHash` in its place, atomically; false if it was used meanwhile.
   */
  rotateAgain(
    usedHash: string,
    successorHash: string,
    nextHash: string,
    expiresAtMs: number,
    nowMs: number,
  ): Promise<boolean>;
  revokeFamily(familyId: string, reason: FamilyRevokeReason, nowMs: number): Promise<void>;
  /** Ends every sign-in of the user; returns the family ids that were active. */
  revokeUser(userId: string, reason: FamilyRevokeReason, nowMs: number): Promise<string[]>;
  /** False for a revoked family, and for one that no longer exists. */
  isFamilyActive(familyId: string): Promise<boolean>;
}
