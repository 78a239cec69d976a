import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Role, ROLES } from '../../shared/domain';
import { DEFAULT_DB_PATH } from '../cli-options';
import { openDatabase } from '../db/open-database';
import { hashPassword } from './password-hash';
import { SqliteRefreshTokenStore } from './sqlite-refresh-token-store';
import { SqliteUserStore } from './sqlite-user-store';

export const USERS_USAGE = `Usage: npm run gateway -- users <command> [--db PATH]
  users add <username> --role <role> [--name "<display name>"]
                         password from AGENT_DESK_NEW_PASSWORD, else typed (not echoed), else stdin
  users set-role <username> <role>
                         ends the user's sign-ins: open desks are signed out within a second
  users sign-out <username>
                         ends every sign-in of the user (a lost laptop, a leaving agent)
  users list
Roles: ${ROLES.join(', ')}. --db defaults to ${DEFAULT_DB_PATH}.`;

const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;
const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 256;

export interface UsersCommandIo {
  out(line: string): void;
  err(line: string): void;
  readPassword(): Promise<string>;
}

/** `users ...`: manages agent accounts in the gateway's database. Returns the exit code. */
export async function runUsersCommand(args: readonly string[], io: UsersCommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseUsersArgs>;
  try {
    parsed = parseUsersArgs(args);
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USERS_USAGE}`);
    return 2;
  }
  if (parsed.command === 'help') {
    io.out(USERS_USAGE);
    return 0;
  }

  const db = openDatabase(resolve(parsed.dbPath));
  try {
    const users = new SqliteUserStore(db);
    switch (parsed.command) {
      case 'add': {
        if (await users.findByUsername(parsed.username))
          throw new Error(`User ${parsed.username} already exists`);
        const password = await io.readPassword();
        if ([...password].length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
          throw new Error(
            `The password must have ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
          );
        }
        const user = await users.create({
          username: parsed.username,
          displayName: parsed.displayName,
          role: parsed.role,
          passwordHash: await hashPassword(password),
        });
        io.out(`Added ${user.username} (${user.role}), id ${user.id}`);
        return 0;
      }
      case 'set-role': {
        // A desk's cache and view belong to the role it signed in with: the agent signs in again.
        const user = await users.setRole(parsed.username, parsed.role);
        if (!user) throw new Error(`No user ${parsed.username}`);
        const ended = await new SqliteRefreshTokenStore(db).revokeUser(user.id, 'role_change', Date.now());
        io.out(`${user.username} is now ${user.role}; ${signInsEnded(ended.length)}`);
        return 0;
      }
      case 'sign-out': {
        const user = (await users.findByUsername(parsed.username))?.user;
        if (!user) throw new Error(`No user ${parsed.username}`);
        const ended = await new SqliteRefreshTokenStore(db).revokeUser(user.id, 'operator', Date.now());
        io.out(`${user.username}: ${signInsEnded(ended.length)}`);
        return 0;
      }
      case 'list': {
        const rows = (await users.list()).map((user) => [
          user.username,
          user.role,
          user.displayName,
          user.id,
        ]);
        for (const line of table([['USERNAME', 'ROLE', 'NAME', 'ID'], ...rows])) io.out(line);
        return 0;
      }
    }
  } catch (err) {
    io.err((err as Error).message);
    return 1;
  } finally {
    db.close();
  }
}

type UsersArgs =
  | { command: 'help' }
  | { command: 'add'; dbPath: string; username: string; role: Role; displayName: string }
  | { command: 'set-role'; dbPath: string; username: string; role: Role }
  | { command: 'sign-out'; dbPath: string; username: string }
  | { command: 'list'; dbPath: string };

/** Throws an Error with a readable message on bad input. */
export function parseUsersArgs(args: readonly string[]): UsersArgs {
  const { values, positionals } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...operands] = positionals;
  if (values.help || command === undefined || command === 'help') return { command: 'help' };
  const dbPath = values.db ?? DEFAULT_DB_PATH;

  switch (command) {
    case 'add': {
      expectOperands(command, operands, 1);
      if (values.role === undefined) throw new Error('users add needs --role');
      const username = parseUsername(operands[0]!);
      const displayName = values.name?.trim() || username;
      return { command, dbPath, username, role: parseRole(values.role), displayName };
    }
    case 'set-role':
      expectOperands(command, operands, 2);
      return { command, dbPath, username: parseUsername(operands[0]!), role: parseRole(operands[1]!) };
    case 'sign-out':
      expectOperands(command, operands, 1);
      return { command, dbPath, username: parseUsername(operands[0]!) };
    case 'list':
      expectOperands(command, operands, 0);
      return { command, dbPath };
    default:
      throw new Error(`Unknown users command: ${command}`);
  }
}

function expectOperands(command: string, operands: readonly string[], count: number): void {
  if (operands.length !== count)
    throw new Error(`users ${command} takes ${count} argument(s), got ${operands.length}`);
}

function parseUsername(text: string): string {
  if (!USERNAME.test(text))
    throw new Error(`Usernames are 1-64 letters, digits, '.', '_' or '-': got "${text}"`);
  return text;
}

function parseRole(text: string): Role {
  const role = Role.safeParse(text);
  if (!role.success) throw new Error(`Unknown role "${text}": one of ${ROLES.join(', ')}`);
  return role.data;
}

function signInsEnded(count: number): string {
  return `${count} sign-in${count === 1 ? '' : 's'} ended`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...row[column]!].length)));
  return rows.map((row) =>
    row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  '),
  );
}
