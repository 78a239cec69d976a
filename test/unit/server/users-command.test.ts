import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseUsersArgs, runUsersCommand } from '../../../src/server/auth/users-command';
import { DEFAULT_DB_PATH } from '../../../src/server/cli-options';
import { AgentClient } from './support/agent-client';
import { makeTempDir } from './support/temp-dir';
import { startTestGateway } from './support/test-gateway';

const tempDir = makeTempDir();
afterAll(() => tempDir.remove());

describe('parseUsersArgs', () => {
  it('reads add, set-role and list, with --db defaulting to the gateway default', () => {
    expect(
      parseUsersArgs(['add', 'maria', '--role', 'after_sales', '--name', 'Maria Gomez', '--db', '/d.db']),
    ).toEqual({
      command: 'add',
      dbPath: '/d.db',
      username: 'maria',
      role: 'after_sales',
      displayName: 'Maria Gomez',
    });
    expect(parseUsersArgs(['add', 'sam', '--role', 'admin'])).toMatchObject({
      displayName: 'sam',
      dbPath: DEFAULT_DB_PATH,
    });
    expect(parseUsersArgs(['set-role', 'maria', 'supervisor'])).toEqual({
      command: 'set-role',
      dbPath: DEFAULT_DB_PATH,
      username: 'maria',
      role: 'supervisor',
    });
    expect(parseUsersArgs(['list', '--db=/x.db'])).toEqual({ command: 'list', dbPath: '/x.db' });
    expect(parseUsersArgs([])).toEqual({ command: 'help' });
    expect(parseUsersArgs(['list', '--help'])).toEqual({ command: 'help' });
  });

  it.each([
    [['add', 'maria']],
    [['add', '--role', 'admin']],
    [['add', 'maria', '--role', 'boss']],
    [['add', 'bad name', '--role', 'admin']],
    [['add', 'maria', '--role', 'admin', '--password', 'secret']],
    [['set-role', 'maria']],
    [['list', 'extra']],
    [['remove', 'maria']],
  ])('refuses %j', (args) => {
    expect(() => parseUsersArgs(args)).toThrow();
  });
});

describe('runUsersCommand', () => {
  function io(password = 'a long enough password') {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: {
        out: (line: string) => out.push(line),
        err: (line: string) => err.push(line),
        readPassword: async () => password,
      },
    };
  }

  it('adds users who can sign in, changes roles and lists them', async () => {
    const dbPath = join(tempDir.path, 'users.db');
    const added = io();
    expect(
      await runUsersCommand(
        ['add', 'maria', '--role', 'after_sales', '--name', 'Maria Gomez', '--db', dbPath],
        added.io,
      ),
    ).toBe(0);
    expect(added.out[0]).toMatch(/^Added maria \(after_sales\), id usr_/);
    expect(
      await runUsersCommand(
        ['add', 'li.wei', '--role', 'frontline', '--name', '李伟', '--db', dbPath],
        io().io,
      ),
    ).toBe(0);

    const changed = io();
    expect(await runUsersCommand(['set-role', 'maria', 'supervisor', '--db', dbPath], changed.io)).toBe(0);
    expect(changed.out).toEqual(['maria is now supervisor; 0 sign-ins ended']);

    const listed = io();
    expect(await runUsersCommand(['list', '--db', dbPath], listed.io)).toBe(0);
    expect(listed.out[0]).toMatch(/^USERNAME\s+ROLE\s+NAME\s+ID$/);
    expect(listed.out.slice(1).map((line) => line.split(/\s{2,}/).slice(0, 3))).toEqual([
      ['li.wei', 'frontline', '李伟'],
      ['maria', 'supervisor', 'Maria Gomez'],
    ]);

    const gateway = await startTestGateway({ dbPath });
    try {
      const { client } = await AgentClient.ready(gateway.url);
      const { user } = await client.call('auth.login', {
        username: 'maria',
        password: 'a long enough password',
      });
      expect(user).toMatchObject({ username: 'maria', displayName: 'Maria Gomez', role: 'supervisor' });
      await client.close();
    } finally {
      await gateway.close();
    }
  });

  it('refuses a taken username, a short password and an unknown user, with exit code 1', async () => {
    const dbPath = join(tempDir.path, 'refusals.db');
    expect(await runUsersCommand(['add', 'sam', '--role', 'admin', '--db', dbPath], io().io)).toBe(0);
    const taken = io();
    expect(await runUsersCommand(['add', 'SAM', '--role', 'admin', '--db', dbPath], taken.io)).toBe(1);
    expect(taken.err).toEqual(['User SAM already exists']);
    const short = io('short');
    expect(await runUsersCommand(['add', 'kim', '--role', 'admin', '--db', dbPath], short.io)).toBe(1);
    expect(short.err[0]).toMatch(/8 to 256 characters/);
    const missing = io();
    expect(await runUsersCommand(['set-role', 'nobody', 'admin', '--db', dbPath], missing.io)).toBe(1);
    expect(missing.err).toEqual(['No user nobody']);
    const usage = io();
    expect(await runUsersCommand(['add', 'kim', '--role', 'boss', '--db', dbPath], usage.io)).toBe(2);
    expect(usage.err[0]).toMatch(/Unknown role "boss"/);
  });
});

describe('npm run gateway -- users', () => {
  function runCli(args: string[], options: { stdin?: string; env?: Record<string, string> } = {}) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '../../../src/server/index.ts'), ...args],
      {
        env: { ...process.env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(options.stdin ?? '');
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('exit', (code) => resolve({ code, stdout, stderr })),
    );
  }

  it('reads the password from stdin or AGENT_DESK_NEW_PASSWORD, never from a flag', async () => {
    const dbPath = join(tempDir.path, 'cli.db');
    const fromStdin = await runCli(
      ['users', 'add', 'chen', '--role', 'logistics', '--name', '陈志强', '--db', dbPath],
      {
        stdin: 'stdin password 1\n',
      },
    );
    expect(fromStdin).toMatchObject({ code: 0, stdout: expect.stringMatching(/Added chen \(logistics\)/) });
    const fromEnv = await runCli(['users', 'add', 'amy', '--role', 'admin', '--db', dbPath], {
      env: { AGENT_DESK_NEW_PASSWORD: 'env password 22' },
    });
    expect(fromEnv.code).toBe(0);
    const listed = await runCli(['users', 'list', '--db', dbPath]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/amy\s+admin/);
    expect(listed.stdout).toMatch(/chen\s+logistics\s+陈志强/);

    const gateway = await startTestGateway({ dbPath });
    try {
      const { client } = await AgentClient.ready(gateway.url);
      expect(
        (await client.call('auth.login', { username: 'chen', password: 'stdin password 1' })).user.role,
      ).toBe('logistics');
      expect(
        (await client.call('auth.login', { username: 'amy', password: 'env password 22' })).user.role,
      ).toBe('admin');
      await client.close();
    } finally {
      await gateway.close();
    }
  }, 30_000);
});
