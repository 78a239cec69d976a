import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { AgentUser, type Role } from '../../shared/domain';
import type { SqliteDatabase } from '../db/open-database';
import type { NewUser, UserStore, UserWithPasswordHash } from './user-store';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
}

export class SqliteUserStore implements UserStore {
  private readonly selectByUsername: Statement<[string], UserRow>;
  private readonly selectById: Statement<[string], UserRow>;
  private readonly insertUser: Statement;
  private readonly selectAll: Statement<[], UserRow>;
  private readonly updateRole: Statement<[string, string]>;

  constructor(db: SqliteDatabase) {
    this.selectByUsername = db.prepare('SELECT * FROM users WHERE username = ?');
    this.selectById = db.prepare('SELECT * FROM users WHERE id = ?');
    this.insertUser = db.prepare(`
      INSERT INTO users (id, username, display_name, role, password_hash, created_at)
      VALUES (@id, @username, @displayName, @role, @passwordHash, @createdAt)`);
    this.selectAll = db.prepare('SELECT * FROM users ORDER BY username');
    this.updateRole = db.prepare('UPDATE users SET role = ? WHERE username = ?');
  }

  async findByUsername(username: string): Promise<UserWithPasswordHash | null> {
    const row = this.selectByUsername.get(username);
    return row ? { user: toAgentUser(row), passwordHash: row.password_hash } : null;
  }

  async findById(id: string): Promise<AgentUser | null> {
    const row = this.selectById.get(id);
    return row ? toAgentUser(row) : null;
  }

  async create(user: NewUser): Promise<AgentUser> {
    const id = `usr_${randomUUID()}`;
    this.insertUser.run({ ...user, id, createdAt: new Date().toISOString() });
    return { id, username: user.username, displayName: user.displayName, role: user.role };
  }

  async list(): Promise<AgentUser[]> {
    return this.selectAll.all().map(toAgentUser);
  }

  async setRole(username: string, role: Role): Promise<AgentUser | null> {
    if (this.updateRole.run(role, username).changes === 0) return null;
    return (await this.findByUsername(username))?.user ?? null;
  }
}

/** Parsed, not cast: a role edited by hand in the database must not reach a token unchecked. */
function toAgentUser(row: UserRow): AgentUser {
  return AgentUser.parse({
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
  });
}
