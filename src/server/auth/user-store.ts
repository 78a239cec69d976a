import type { AgentUser } from '../../shared/domain';

export interface UserWithPasswordHash {
  user: AgentUser;
  passwordHash: string;
}

export type NewUser = Omit<AgentUser, 'id'> & { passwordHash: string };

/** Agent accounts. Async so that a PostgreSQL implementation can replace the SQLite one. */
export interface UserStore {
  /** Usernames compare case-insensitively. */
  findByUsername(username: string): Promise<UserWithPasswordHash | null>;
  findById(id: string): Promise<AgentUser | null>;
  create(user: NewUser): Promise<AgentUser>;
}
