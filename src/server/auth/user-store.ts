import type { AgentUser, Role } from '../../shared/domain';

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
  /** Throws if the username is taken. */
  create(user: NewUser): Promise<AgentUser>;
  /** Every user, by username. */
  list(): Promise<AgentUser[]>;
  /** The user with the new role, or null if there is no such user. */
  setRole(username: string, role: Role): Promise<AgentUser | null>;
}
