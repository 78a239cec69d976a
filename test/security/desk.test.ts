import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GatewayClient } from '../../src/main/services/gateway/GatewayClient';
import { CALL_HISTORY_MIGRATIONS } from '../../src/main/services/calls/call-history-migrations';
import type { DeskServices } from '../../src/main/desk-services';
import { DEMO_LOGIN } from '../../src/shared/demo';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { startGateway, type Gateway } from '../../src/server/gateway';
import { callDesk, deskServices } from '../unit/main/support/desk-under-test';

/**
 * The desk side of issue 13, replayed against the desk's real services under Node: each attack
 * worked before the fix and must fail now.
 */

type ProtocolHandler = (request: { url: string }) => Promise<Response>;
const electron = vi.hoisted(() => ({ handler: null as ProtocolHandler | null }));
vi.mock('electron', () => ({
  app: {},
  session: {},
  shell: { openExternal: vi.fn() },
  protocol: {
    registerSchemesAsPrivileged: vi.fn(),
    handle: (_scheme: string, handler: ProtocolHandler) => {
      electron.handler = handler;
    },
  },
  net: { fetch: async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }) },
}));

const quiet = pino({ level: 'silent' });
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-desk-security-'));
  dirs.push(dir);
  return dir;
};
const opened: DeskServices[] = [];
afterEach(async () => {
  for (const services of opened.splice(0)) await services.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function openDesk(dataDir: string, gatewayUrl = 'ws://127.0.0.1:1/v1/agent'): Promise<DeskServices> {
  const services = deskServices({ gatewayUrl, dataDir });
  await services.start();
  opened.push(services);
  return services;
}

async function closeDesk(services: DeskServices): Promise<void> {
  opened.splice(opened.indexOf(services), 1);
  await services.stop();
}

// ---- call history at rest ----

/** A caller's details as distinctive as possible, in every form an attacker would grep for. */
const CALLER = {
  e164: '+8613971828354',
  digits: '8613971828354',
  national: '13971828354',
  name: '欧阳娜娜 Ouyang Nana',
  note: 'Promised a refund of 388 yuan for the torn parcel, callback on Friday',
  summaryOrder: 'DD-SECRET-77123',
};
const SECRETS = [CALLER.e164, CALLER.digits, CALLER.national, CALLER.name, CALLER.note];

const readIfPresent = (file: string) => (existsSync(file) ? readFileSync(file) : Buffer.alloc(0));

/** Every secret, as UTF-8 and UTF-16 (SQLite may store either), found in the file and its WAL and SHM. */
function secretsOnDisk(database: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of [database, `${database}-wal`, `${database}-shm`]) {
    const bytes = readIfPresent(file);
    for (const secret of secrets) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(secret, encoding))) found.push(`${secret} (${encoding}) in ${file}`);
      }
    }
  }
  return found;
}

describe('security: call history on disk', () => {
  it('keeps no caller number (E.164, digits, national), name or note in the database, WAL or SHM', async () => {
    const dataDir = tempDir();
    const database = join(dataDir, 'call-history.db');
    const services = await openDesk(dataDir);
    await callDesk(services, 'calls.record', {
      callId: 'secret-call@pbx',
      direction: 'inbound',
      number: CALLER.e164,
      name: CALLER.name,
      startedAt: '2026-12-01T09:00:00.000Z',
      durationSeconds: 125,
      outcome: 'answered',
      orderId: null,
    });
    await callDesk(services, 'calls.setDisposition', {
      callId: 'secret-call@pbx',
      disposition: 'follow_up',
      note: CALLER.note,
      summary: { orders: [{ orderId: 'ord_secret', displayNumber: CALLER.summaryOrder }], actions: [] },
    });
    const [record] = await callDesk(services, 'calls.recent', { limit: 1 });
    expect(record).toMatchObject({ number: CALLER.e164, name: CALLER.name, note: CALLER.note });

    // While the desk runs (the rows are in the WAL) and after it closed (checkpointed).
    expect(readIfPresent(`${database}-wal`).length).toBeGreaterThan(0);
    expect(secretsOnDisk(database, SECRETS)).toEqual([]);
    await closeDesk(services);
    expect(readFileSync(database).length).toBeGreaterThan(0);
    expect(secretsOnDisk(database, [...SECRETS, CALLER.summaryOrder])).toEqual([]);
  });

  it('seals a call history left in clear by an older desk, and leaves none of its clear bytes behind', async () => {
    // An older desk's files as a crash left them: rows in the database and in the WAL, and an
    // overwritten note in a freed cell.
    const older = tempDir();
    const olderFile = join(older, 'call-history.db');
    const db = new Database(olderFile);
    db.pragma('journal_mode = WAL');
    for (const migration of CALL_HISTORY_MIGRATIONS.filter((m) => m.version <= 3)) db.exec(migration.sql);
    db.pragma('user_version = 3');
    const insert = db.prepare(
      `INSERT INTO calls (call_id, direction, number, name, started_at, duration_seconds, outcome, order_id, disposition, note, summary_json)
       VALUES (?, 'inbound', ?, ?, ?, 60, 'answered', NULL, 'resolved', ?, ?)`,
    );
    insert.run(
      'old-1',
      CALLER.e164,
      CALLER.name,
      '2026-11-01T08:00:00.000Z',
      'first draft of the note',
      null,
    );
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.prepare('UPDATE calls SET note = ? WHERE call_id = ?').run(CALLER.note, 'old-1');
    insert.run(
      'old-2',
      CALLER.national,
      CALLER.name,
      '2026-11-02T08:00:00.000Z',
      null,
      JSON.stringify({
        orders: [{ orderId: 'ord_secret', displayNumber: CALLER.summaryOrder }],
        actions: [],
      }),
    );
    const dataDir = tempDir();
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(`${olderFile}${suffix}`))
        copyFileSync(`${olderFile}${suffix}`, join(dataDir, `call-history.db${suffix}`));
    }
    db.close();
    const database = join(dataDir, 'call-history.db');
    const clearValues = [...SECRETS, 'first draft of the note', CALLER.summaryOrder];
    expect(secretsOnDisk(database, clearValues).length).toBeGreaterThan(0);

    const services = await openDesk(dataDir);
    // Kept and readable: the upgrade seals the history, it does not drop it.
    const records = await callDesk(services, 'calls.recent', { limit: 10 });
    expect(records.map((r) => [r.callId, r.number, r.note])).toEqual([
      ['old-2', CALLER.national, null],
      ['old-1', CALLER.e164, CALLER.note],
    ]);
    expect(secretsOnDisk(database, clearValues)).toEqual([]);
    await closeDesk(services);
    expect(secretsOnDisk(database, clearValues)).toEqual([]);
  });
});

// ---- transport ----

/** This computer's first address that is not loopback, if it has one. */
function lanAddress(): string | null {
  for (const entries of Object.values(networkInterfaces())) {
    for (const entry of entries ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return null;
}

describe('security: the desk refuses ws:// to another computer', () => {
  const address = lanAddress();
  let gateway: Gateway | null = null;
  let insecureUrl = 'ws://gateway.example.invalid/v1/agent';

  const gatewayDir = mkdtempSync(join(tmpdir(), 'agent-desk-security-gateway-'));

  beforeAll(async () => {
    if (!address) return;
    // A real gateway on this computer's network address: the attack's target is live.
    gateway = await startGateway({
      host: address,
      port: 0,
      dbPath: join(gatewayDir, 'gateway.db'),
      logger: quiet,
      demo: { orders: 20, seed: 3 },
    });
    insecureUrl = `ws://${address}:${gateway.port}${AGENT_WS_PATH}`;
  });
  afterAll(async () => {
    await gateway?.close();
    rmSync(gatewayDir, { recursive: true, force: true });
  });

  it('refuses sign-in (and demo sign-in) to a ws:// gateway on another computer before connecting', async () => {
    if (gateway) {
      // Without the desk's rule the password goes over the network in clear and is accepted.
      const client = new GatewayClient({ url: insecureUrl, client: { name: 'attacker', version: '0' } });
      client.start();
      await client.waitOnline(5000);
      await expect(client.request('auth.login', DEMO_LOGIN)).resolves.toMatchObject({
        token: expect.any(String),
      });
      await client.stop();
    }
    const services = await openDesk(tempDir(), insecureUrl);
    const started = Date.now();
    await expect(
      callDesk(services, 'session.login', { gatewayUrl: insecureUrl, ...DEMO_LOGIN }),
    ).rejects.toMatchObject({ code: 'INSECURE_TRANSPORT' });
    await expect(callDesk(services, 'session.loginDemo', undefined)).rejects.toMatchObject({
      code: 'INSECURE_TRANSPORT',
    });
    // Refused by the rule, not by a failed connection (which waits for the connect timeout).
    expect(Date.now() - started).toBeLessThan(1000);
    expect(services.session.session.user).toBeNull();
  });

  it('refuses phone settings with a ws:// PBX on another computer', async () => {
    const services = await openDesk(tempDir());
    await expect(
      callDesk(services, 'phone.configure', {
        sip: { serverUrl: 'ws://pbx.example.com:8088/ws', domain: 'pbx.example.com', extension: '1001' },
        password: 'sip-secret',
      }),
    ).rejects.toMatchObject({ code: 'INSECURE_TRANSPORT' });
    expect(services.phoneSettings.get().sip.serverUrl).toBe('');
  });
});

// ---- the Electron hardening (policies tested through the real glue, Electron mocked) ----

describe('security: what the renderer may do', () => {
  it('serves a CSP whose connect-src allows only the configured PBX origin', async () => {
    const { serveRenderer } = await import('../../src/main/app-protocol');
    serveRenderer(tempDir(), () => ['wss://pbx.example.com:8089/ws']);
    const response = await electron.handler!({ url: 'agentdesk://app/index.html' });
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(/connect-src ([^;]*)/.exec(policy)?.[1]).toBe("'self' wss://pbx.example.com:8089");
  });

  it('does not grant the camera when the page asks for video, nor say yes to a video check', async () => {
    const { hardenSession } = await import('../../src/main/security');
    const app = 'agentdesk://app';
    type Request = (
      contents: unknown,
      permission: string,
      callback: (ok: boolean) => void,
      details: object,
    ) => void;
    type Check = (contents: unknown, permission: string, origin: string, details: object) => boolean;
    let request: Request | undefined;
    let check: Check | undefined;
    hardenSession(
      {
        setPermissionRequestHandler: (handler: Request) => (request = handler),
        setPermissionCheckHandler: (handler: Check) => (check = handler),
      } as never,
      app,
    );
    const answers: Record<string, boolean> = {};
    for (const mediaTypes of [['audio'], ['video'], ['audio', 'video']]) {
      request!({ getURL: () => `${app}/` }, 'media', (ok) => (answers[mediaTypes.join('+')] = ok), {
        requestingUrl: `${app}/index.html`,
        mediaTypes,
      });
    }
    expect(answers).toEqual({ audio: true, video: false, 'audio+video': false });
    expect(check!(null, 'media', app, { mediaType: 'audio' })).toBe(true);
    expect(check!(null, 'media', app, { mediaType: 'video' })).toBe(false);
  });

  it('packaged builds have no DevTools and ignore the native-binding variable', async () => {
    const { developmentOverrides, secureWebPreferences } = await import('../../src/main/security');
    expect(secureWebPreferences('/preload.cjs', { packaged: true }).devTools).toBe(false);
    expect(
      developmentOverrides(
        { AGENT_DESK_SQLITE_BINDING: '/tmp/attacker/better_sqlite3.node' },
        { packaged: true },
      ).sqliteBinding,
    ).toBeUndefined();
  });
});
