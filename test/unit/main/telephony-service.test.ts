import { mkdtempSync, readFileSync } from 'node:fs';
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
