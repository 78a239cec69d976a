import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PhoneSettingsStore } from '../../../src/main/services/telephony/PhoneSettingsStore';
import { SecretStore } from '../../../src/main/services/telephony/SecretStore';
import { TelephonyService } from '../../../src/main/services/telephony/TelephonyService';
import { Accelerator, PhoneSettingsPatch } from '../../../src/shared/phone-settings';
import { createTestKeyProvider } from '../../harness/test-key-provider';

async function service(signedIn = true) {
  const dir = mkdtempSync(join(tmpdir(), 'telephony-'));
  const settings = new PhoneSettingsStore(join(dir, 'phone.json'));
  const secrets = new SecretStore(join(dir, 'secrets.json'), createTestKeyProvider());
  await Promise.all([settings.start(), secrets.start()]);
  return {
    dir,
    telephony: new TelephonyService({
      settings,
      secrets,
      isSignedIn: () => signedIn,
      unavailableHotkeys: () => ['mute'],
    }),
  };
}

const sip = { serverUrl: 'wss://pbx.example.com/ws', domain: 'pbx.example.com', extension: '1001' };

describe('TelephonyService', () => {
  it('hands no credentials while the phone is not configured', async () => {
    const { telephony } = await service();
    expect(telephony.credentials()).toBeNull();
  });

  it('hands credentials only to a signed-in agent', async () => {
    const { telephony } = await service(false);
    await telephony.configure({ sip });
    expect(() => telephony.credentials()).toThrow(expect.objectContaining({ code: 'NOT_SIGNED_IN' }));
  });

  it('keeps the password apart and encrypted; the settings view only says one is kept', async () => {
    const { telephony, dir } = await service();
    const view = await telephony.configure({ sip, password: 's3cret-pw' });
    expect(view.hasPassword).toBe(true);
    expect(JSON.stringify(view)).not.toContain('s3cret-pw');
    expect(readFileSync(join(dir, 'phone.json'), 'utf8')).not.toContain('s3cret-pw');
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('s3cret-pw');
    expect(telephony.credentials()).toMatchObject({
      serverUrl: 'wss://pbx.example.com/ws',
      aor: 'sip:1001@pbx.example.com',
      authUsername: '1001', // defaults to the extension
      password: 's3cret-pw',
    });
    expect((await telephony.configure({ password: null })).hasPassword).toBe(false);
  });

  it('refuses a ws:// phone server on another computer and keeps the settings it had', async () => {
    const { telephony } = await service();
    await telephony.configure({ sip });
    for (const serverUrl of ['ws://pbx.example.com/ws', 'ws://10.0.0.5:8088/ws', 'ws://[fd00::5]/ws']) {
      await expect(telephony.configure({ sip: { serverUrl } })).rejects.toMatchObject({
        code: 'INSECURE_TRANSPORT',
      });
    }
    expect(telephony.view().sip.serverUrl).toBe('wss://pbx.example.com/ws');
    // ws:// stays for loopback (the dev registrar, the tests' Kamailio).
    const local = await telephony.configure({ sip: { serverUrl: 'ws://127.0.0.1:5066/ws' } });
    expect(local.sip.serverUrl).toBe('ws://127.0.0.1:5066/ws');
  });

  it('hands no password for a ws:// phone server on another computer saved by an older desk', async () => {
    const { telephony, dir } = await service();
    await telephony.configure({ sip, password: 'pw' });
    const file = join(dir, 'phone.json');
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      file,
      JSON.stringify({ ...saved, sip: { ...saved.sip, serverUrl: 'ws://pbx.example.com/ws' } }),
    );
    const settings = new PhoneSettingsStore(file);
    await settings.start();
    const secrets = new SecretStore(join(dir, 'secrets.json'), createTestKeyProvider());
    await secrets.start();
    const older = new TelephonyService({
      settings,
      secrets,
      isSignedIn: () => true,
      unavailableHotkeys: () => [],
    });
    // The other settings survive; the address is shown so that the agent can correct it.
    expect(older.view().sip).toMatchObject({ serverUrl: 'ws://pbx.example.com/ws', extension: '1001' });
    expect(() => older.credentials()).toThrow(expect.objectContaining({ code: 'INSECURE_TRANSPORT' }));
  });

  it('merges a patch section by section and tells listeners', async () => {
    const { telephony } = await service();
    const seen: number[] = [];
    telephony.onChanged((settings) => seen.push(settings.callHandling.acwSeconds));
    await telephony.configure({ sip, callHandling: { acwSeconds: 45 } });
    const view = await telephony.configure({ callHandling: { rejectCode: 603 } });
    expect(view.callHandling).toEqual({ acwSeconds: 45, rejectCode: 603 });
    expect(view.sip.extension).toBe('1001');
    expect(view.unavailableHotkeys).toEqual(['mute']);
    expect(seen).toEqual([45, 45]);
  });
});

describe('phone settings validation', () => {
  it.each([
    [{ sip: { serverUrl: 'http://pbx.example.com' } }],
    [{ sip: { extension: '10 01' } }],
    [{ sip: { domain: 'pbx.example.com;transport=udp' } }],
    [{ sip: { iceServers: [{ urls: ['http://stun.example.com'] }] } }],
    [{ callHandling: { rejectCode: 404 } }],
    [{ callHandling: { acwSeconds: -1 } }],
    [{ hotkeys: { answer: 'A' } }],
    [{ unknown: true }],
  ])('refuses %j', (patch) => {
    expect(PhoneSettingsPatch.safeParse(patch).success).toBe(false);
  });

  it('accepts a TURN server with credentials and modifier hotkeys', () => {
    expect(
      PhoneSettingsPatch.safeParse({
        sip: { iceServers: [{ urls: ['turns:turn.example.com:5349'], username: 'u', credential: 'p' }] },
        hotkeys: { answer: 'CommandOrControl+Shift+A', mute: 'Alt+F9' },
      }).success,
    ).toBe(true);
    expect(Accelerator.safeParse('Shift+Space').success).toBe(true);
    expect(Accelerator.safeParse('Space').success).toBe(false);
  });
});
