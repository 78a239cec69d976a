import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  DEFAULT_PHONE_SETTINGS,
  PhoneSettings,
  type PhoneSettingsPatch,
} from '../../../shared/phone-settings';
import { refuseInsecureWebSocket } from '../../../shared/transport';

/** The softphone's settings as JSON beside the app's other data (never the password). */
export class PhoneSettingsStore {
  private current: PhoneSettings = structuredClone(DEFAULT_PHONE_SETTINGS);

  constructor(
    private readonly filePath: string,
    private readonly defaults: PhoneSettings = DEFAULT_PHONE_SETTINGS,
  ) {
    this.current = structuredClone(defaults);
  }

  async start(): Promise<void> {
    try {
      const raw = JSON.parse(await readFile(this.filePath, 'utf8')) as Partial<PhoneSettings>;
      const merged = PhoneSettings.safeParse(mergeSections(this.defaults, raw));
      // A damaged file falls back to defaults rather than leaving the agent without a phone screen.
      if (merged.success) this.current = merged.data;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
    }
  }

  get(): PhoneSettings {
    return structuredClone(this.current);
  }

  /**
   * Applies a validated patch section by section; the result is validated again as a whole.
   * INSECURE_TRANSPORT for a ws:// PBX on another computer: the SIP digest, who calls whom and
   * the media keys in the SDP would cross the network in clear.
   */
  async update(patch: Omit<PhoneSettingsPatch, 'password'>): Promise<PhoneSettings> {
    const next = PhoneSettings.parse(mergeSections(this.current, patch));
    refuseInsecureWebSocket('phone server', next.sip.serverUrl);
    this.current = next;
    await mkdir(dirname(this.filePath), { recursive: true });
    const tmp = `${this.filePath}.tmp`;
    await writeFile(tmp, JSON.stringify(this.current, null, 2));
    await rename(tmp, this.filePath);
    return this.get();
  }
}

function mergeSections(
  base: PhoneSettings,
  patch: Partial<Record<keyof PhoneSettings, object>>,
): PhoneSettings {
  return {
    sip: { ...base.sip, ...patch.sip },
    callHandling: { ...base.callHandling, ...patch.callHandling },
    hotkeys: { ...base.hotkeys, ...patch.hotkeys },
    devices: { ...base.devices, ...patch.devices },
  };
}
