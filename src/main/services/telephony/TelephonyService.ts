import { DeskError } from '../../../shared/errors';
import {
  isSipConfigured,
  type HotkeyAction,
  type PhoneSettings,
  type PhoneSettingsPatch,
  type PhoneSettingsView,
  type SipCredentials,
} from '../../../shared/phone-settings';
import { refuseInsecureWebSocket } from '../../../shared/transport';
import type { PhoneSettingsStore } from './PhoneSettingsStore';
import type { SecretStore } from './SecretStore';

const SIP_PASSWORD = 'sip.password';

export interface TelephonyServiceDeps {
  settings: PhoneSettingsStore;
  secrets: SecretStore;
  /** Credentials go only to a signed-in agent. */
  isSignedIn: () => boolean;
  /** Hotkeys the system refused to register (see GlobalHotkeys). */
  unavailableHotkeys: () => readonly HotkeyAction[];
}

/**
 * The softphone's configuration on the main side: settings, the encrypted SIP password, and the
 * credentials handed to the renderer for the session (sip.js needs them there, for WebRTC).
 */
export class TelephonyService {
  private readonly listeners = new Set<(settings: PhoneSettings) => void>();

  constructor(private readonly deps: TelephonyServiceDeps) {}

  view(): PhoneSettingsView {
    return {
      ...this.deps.settings.get(),
      hasPassword: this.deps.secrets.has(SIP_PASSWORD),
      unavailableHotkeys: [...this.deps.unavailableHotkeys()],
    };
  }

  async configure(patch: PhoneSettingsPatch): Promise<PhoneSettingsView> {
    const { password, ...sections } = patch;
    const settings = await this.deps.settings.update(sections);
    if (password !== undefined) await this.deps.secrets.set(SIP_PASSWORD, password === '' ? null : password);
    for (const listener of this.listeners) listener(settings);
    return this.view();
  }

  /** Called with the new settings after every change (hotkeys are re-registered from it). */
  onChanged(listener: (settings: PhoneSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Null while the phone is not configured. A ws:// PBX on another computer saved by an older
   * desk is refused (INSECURE_TRANSPORT): the password is not handed over for it.
   */
  credentials(): SipCredentials | null {
    if (!this.deps.isSignedIn()) throw new DeskError('NOT_SIGNED_IN', 'Sign in first');
    const { sip } = this.deps.settings.get();
    if (!isSipConfigured(sip)) return null;
    refuseInsecureWebSocket('phone server', sip.serverUrl);
    return {
      serverUrl: sip.serverUrl,
      aor: `sip:${sip.extension}@${sip.domain}`,
      authUsername: sip.authUsername || sip.extension,
      password: this.deps.secrets.get(SIP_PASSWORD) ?? '',
      displayName: sip.displayName,
      iceServers: sip.iceServers,
      preferredCodec: sip.preferredCodec,
    };
  }
}
