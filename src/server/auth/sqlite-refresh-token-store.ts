import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../db/open-database';
import type { FamilyRevokeReason, RefreshTokenRecord, RefreshTokenStore } from './refresh-token-store';

interface TokenRow {
  family_id: string;
  user_id: string;
  expires_at_ms: number;
  used_at_ms: number | null;
  replaced_by: string | null;
  successor_used_at_ms: number | null;
  revoked_at_ms: number | null;
}

/** Expired tokens are kept a day past expiry, so that a late reuse is still recognised as one. */
const EXPIRED_RETENTION_MS = 24 * 60 * 60 * 1000;

export class SqliteRefreshTokenStore implements RefreshTokenStore {
  private readonly insertFamily: Statement<[string, string, number]>;
  private readonly insertToken: Statement<[string, string, number, number]>;
  private readonly selectToken: Statement<[string], TokenRow>;
  private readonly markUsed: Statement<[number, string, string]>;
  private readonly markSuccessorRetired: Statement<[number, string, string]>;
  private readonly updateReplacedBy: Statement<[string, string]>;
  private readonly selectUserFamilies: Statement<[string], { id: string }>;
  private readonly revokeUserFamilies: Statement<[number, string, string]>;
  private readonly selectFamilyOf: Statement<[string], { family_id: string }>;
  private readonly revoke: Statement<[number, string, string]>;
  private readonly selectActiveFamily: Statement<[string], { found: number }>;
  private readonly deleteExpiredTokens: Statement<[number]>;
  private readonly deleteEmptyFamilies: Statement<[number]>;

  constructor(private readonly db: SqliteDatabase) {
    this.insertFamily = db.prepare(
      'INSERT INTO refresh_token_families (id, user_id, created_at_ms) VALUES (?, ?, ?)',
    );
    this.insertToken = db.prepare(
      'INSERT INTO refresh_tokens (token_hash, family_id, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?)',
    );
    this.selectToken = db.prepare(`
      SELECT t.family_id, f.user_id, t.expires_at_ms, t.used_at_ms, t.replaced_by,
        s.used_at_ms AS successor_used_at_ms, f.revoked_at_ms
      FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
        LEFT JOIN refresh_tokens s ON s.token_hash = t.replaced_by
      WHERE t.token_hash = ?`);
    this.markUsed = db.prepare(
      'UPDATE refresh_tokens SET used_at_ms = ?, replaced_by = ? WHERE token_hash = ? AND used_at_ms IS NULL',
    );
    // The lost successor is marked used: if it did reach someone, presenting it is a reuse.
    this.markSuccessorRetired = db.prepare(
      'UPDATE refresh_tokens SET used_at_ms = ? WHERE token_hash = ? AND family_id = ? AND used_at_ms IS NULL',
    );
    this.updateReplacedBy = db.prepare('UPDATE refresh_tokens SET replaced_by = ? WHERE token_hash = ?');
    this.selectUserFamilies = db.prepare(
      'SELECT id FROM refresh_token_families WHERE user_id = ? AND revoked_at_ms IS NULL',
    );
    this.revokeUserFamilies = db.prepare(
      'UPDATE refresh_token_families SET revoked_at_ms = ?, revoked_reason = ? WHERE user_id = ? AND revoked_at_ms IS NULL',
    );
    this.selectFamilyOf = db.prepare('SELECT family_id FROM refresh_tokens WHERE token_hash = ?');
    this.revoke = db.prepare(
      'UPDATE refresh_token_families SET revoked_at_ms = ?, revoked_reason = ? WHERE id = ? AND revoked_at_ms IS NULL',
    );
    this.selectActiveFamily = db.prepare(
      'SELECT 1 AS found FROM refresh_token_families WHERE id = ? AND revoked_at_ms IS NULL',
    );
    this.deleteExpiredTokens = db.prepare('DELETE FROM refresh_tokens WHERE expires_at_ms < ?');
    this.deleteEmptyFamilies = db.prepare(`
      DELETE FROM refresh_token_families WHERE created_at_ms < ?
        AND NOT EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = refresh_token_families.id)`);
  }

  async startFamily(userId: string, tokenHash: string, expiresAtMs: number, nowMs: number): Promise<string> {
    const familyId = `rtf_${randomUUID()}`;
    this.db.transaction(() => {
      // Each sign-in tidies up: the tables stay as small as the sessions alive.
      this.deleteExpiredTokens.run(nowMs - EXPIRED_RETENTION_MS);
      this.deleteEmptyFamilies.run(nowMs - EXPIRED_RETENTION_MS);
      this.insertFamily.run(familyId, userId, nowMs);
      this.insertToken.run(tokenHash, familyId, nowMs, expiresAtMs);
    })();
    return familyId;
  }

  async find(tokenHash: string): Promise<RefreshTokenRecord | null> {
    const row = this.selectToken.get(tokenHash);
    if (!row) return null;
    return {
      familyId: row.family_id,
      userId: row.user_id,
      expiresAtMs: row.expires_at_ms,
      usedAtMs: row.used_at_ms,
      successor:
        row.replaced_by === null
          ? null
          : { hash: row.replaced_by, unused: row.successor_used_at_ms === null },
      familyRevoked: row.revoked_at_ms !== null,
    };
  }

  async rotate(usedHash: string, nextHash: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.markUsed.run(nowMs, nextHash, usedHash).changes !== 1) return false;
      const { family_id: familyId } = this.selectFamilyOf.get(usedHash)!;
      this.insertToken.run(nextHash, familyId, nowMs, expiresAtMs);
      return true;
    })();
  }

  async rotateAgain(
    usedHash: string,
    successorHash: string,
    nextHash: string,
    expiresAtMs: number,
    nowMs: number,
  ): Promise<boolean> {
    return this.db.transaction(() => {
      const family = this.selectFamilyOf.get(usedHash);
      if (!family) return false;
      if (this.markSuccessorRetired.run(nowMs, successorHash, family.family_id).changes !== 1) return false;
      this.updateReplacedBy.run(nextHash, usedHash);
      this.insertToken.run(nextHash, family.family_id, nowMs, expiresAtMs);
      return true;
    })();
  }

  async revokeFamily(familyId: string, reason: FamilyRevokeReason, nowMs: number): Promise<void> {
    this.revoke.run(nowMs, reason, familyId);
  }

  async revokeUser(userId: string, reason: FamilyRevokeReason, nowMs: number): Promise<string[]> {
    return this.db.transaction(() => {
      const families = this.selectUserFamilies.all(userId).map((row) => row.id);
      this.revokeUserFamilies.run(nowMs, reason, userId);
      return families;
    })();
  }

  async isFamilyActive(familyId: string): Promise<boolean> {
    return this.selectActiveFamily.get(familyId) !== undefined;
  }
}
