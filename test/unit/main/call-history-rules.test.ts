import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DeskServices } from '../../../src/main/desk-services';
import type { KeyProvider } from '../../../src/main/services/telephony/KeyProvider';
import type { NewCallRecord } from '../../../src/shared/call-history';
import { DEMO_PASSWORD } from '../../../src/shared/demo';
import { AGENT_WS_PATH } from '../../../src/shared/protocol';
import { openDatabase } from '../../../src/server/db/open-database';
import { SqliteUserStore } from '../../../src/server/auth/sqlite-user-store';
import { startGateway, type Gateway } from '../../../src/server/gateway';
import { createTestKeyProvider } from '../../harness/test-key-provider';
import { callDesk, deskServices } from './support/desk-under-test';

const quiet = pino({ level: 'silent' });

const call = (callId: string): NewCallRecord => ({
  callId,
  direction: 'inbound',
  number: '+8613800138000',
  name: 'Chen Jie',
  startedAt: '2026-11-23T09:00:00.000Z',
  durationSeconds: 30,
  outcome: 'answered',
  orderId: null,
});

/** The call history is wiped by the order cache's rules, through the desk's real services. */
describe('call history follows the order cache rules', () => {
  const root = mkdtempSync(join(tmpdir(), 'call-history-rules-'));
  const dbPath = join(root, 'gateway.db');
  let gateway: Gateway;
  let wsUrl: string;
  const opened: DeskServices[] = [];

  beforeAll(async () => {
    gateway = await startGateway({ port: 0, dbPath, logger: quiet, demo: { orders: 50, seed: 5 } });
    wsUrl = `${gateway.url}${AGENT_WS_PATH}`;
  });
  afterEach(async () => {
    for (const services of opened.splice(0)) await services.stop();
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function openDesk(
    dataDir = mkdtempSync(join(root, 'desk-')),
    keys: KeyProvider = createTestKeyProvider(),
  ) {
    const services = deskServices({ gatewayUrl: wsUrl, dataDir, keys });
    await services.start();
    opened.push(services);
    return { services, dataDir };
  }

  async function closeDesk(services: DeskServices) {
    await services.stop();
    opened.splice(opened.indexOf(services), 1);
  }

  const signIn = (services: DeskServices, username: string) =>
    callDesk(services, 'session.login', { gatewayUrl: wsUrl, username, password: DEMO_PASSWORD });
  const callIds = async (services: DeskServices) =>
    (await callDesk(services, 'calls.recent', { limit: 10 })).map((record) => record.callId);

  it('wipes the call history on sign-out', async () => {
    const { services } = await openDesk();
    await signIn(services, 'supervisor');
    await callDesk(services, 'calls.record', call('before-sign-out'));
    expect(await callIds(services)).toEqual(['before-sign-out']);
    await callDesk(services, 'session.logout', undefined);
    expect(await callIds(services)).toEqual([]);
  });

  it('wipes it when another user signs in after a session that ended without sign-out', async () => {
    const { services } = await openDesk();
    await signIn(services, 'supervisor');
    await callDesk(services, 'calls.record', call('supervisor-call'));
    await services.session.logout();
    await signIn(services, 'admin');
    expect(await callIds(services)).toEqual([]);
  });

  it('keeps it across a restart for the same user and role, and wipes it when the role changed', async () => {
    const keys = createTestKeyProvider(randomBytes(32));
    const first = await openDesk(undefined, keys);
    await signIn(first.services, 'aftersales');
    await callDesk(first.services, 'calls.record', call('aftersales-call'));
    await closeDesk(first.services);

    const second = await openDesk(first.dataDir, keys);
    await signIn(second.services, 'aftersales');
    expect(await callIds(second.services)).toEqual(['aftersales-call']);
    await closeDesk(second.services);

    const db = openDatabase(dbPath);
    try {
      await new SqliteUserStore(db).setRole('aftersales', 'logistics');
      const third = await openDesk(first.dataDir, keys);
      await signIn(third.services, 'aftersales');
      expect(await callIds(third.services)).toEqual([]);
    } finally {
      await new SqliteUserStore(db).setRole('aftersales', 'after_sales');
      db.close();
    }
  });

  it('keeps no call history where the IT policy disables the order cache', async () => {
    const dataDir = mkdtempSync(join(root, 'desk-'));
    writeFileSync(join(dataDir, 'it-policy.json'), JSON.stringify({ orderCache: { enabled: false } }));
    const { services } = await openDesk(dataDir);
    await signIn(services, 'supervisor');
    await expect(callDesk(services, 'calls.record', call('not-kept'))).rejects.toMatchObject({
      code: 'CALL_HISTORY_OFF',
    });
    await expect(callIds(services)).rejects.toMatchObject({ code: 'CALL_HISTORY_OFF' });
    expect(existsSync(join(dataDir, 'call-history.db'))).toBe(false);
  });
});
