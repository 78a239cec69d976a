import { create } from 'zustand';
import type { PhoneSettingsView } from '../../shared/phone-settings';
import type { PhoneCall, PhoneLink } from '../features/softphone/phone-call';

/** Something the agent should be told about the phone (a device fell back, a transfer failed). */
export interface PhoneNotice {
  key: 'ringerFallback' | 'speakerFallback' | 'microphoneFallback' | 'transferFailed' | 'callFailed';
  detail: string;
  at: number;
}

interface SoftphoneStore {
  link: PhoneLink;
  /** Calls still going on (ringing, dialing, active, held), oldest first. */
  calls: PhoneCall[];
  settings: PhoneSettingsView | null;
  notice: PhoneNotice | null;
  setLink(link: PhoneLink): void;
  upsertCall(call: PhoneCall): void;
  setSettings(settings: PhoneSettingsView): void;
  notify(key: PhoneNotice['key'], detail?: string): void;
  reset(): void;
}

const unconfigured: PhoneLink = { state: 'unconfigured', reason: null, since: new Date(0).toISOString() };

/** The softphone as the UI sees it: link state, the calls, the phone settings. */
export const useSoftphoneStore = create<SoftphoneStore>()((set) => ({
  link: unconfigured,
  calls: [],
  settings: null,
  notice: null,
  setLink: (link) => set({ link }),
  upsertCall: (call) =>
    set((state) => {
      const others = state.calls.filter((existing) => existing.id !== call.id);
      if (call.status === 'ended') return { calls: others };
      const index = state.calls.findIndex((existing) => existing.id === call.id);
      if (index < 0) return { calls: [...state.calls, call] };
      const calls = [...state.calls];
      calls[index] = call;
      return { calls };
    }),
  setSettings: (settings) => set({ settings }),
  notify: (key, detail = '') => set({ notice: { key, detail, at: Date.now() } }),
  reset: () => set({ link: unconfigured, calls: [], notice: null }),
}));

export const selectPhoneLink = (state: SoftphoneStore) => state.link;
export const selectCalls = (state: SoftphoneStore) => state.calls;
export const selectPhoneSettings = (state: SoftphoneStore) => state.settings;
export const selectPhoneNotice = (state: SoftphoneStore) => state.notice;
/** The first ringing inbound call (the toast shows it). */
export const selectRingingCall = (state: SoftphoneStore) =>
  state.calls.find((call) => call.status === 'ringing') ?? null;
/** The call the top bar controls: the one talking now, else a held one, else one being dialled. */
export const selectCurrentCall = (state: SoftphoneStore) =>
  state.calls.find((call) => call.status === 'active') ??
  state.calls.find((call) => call.status === 'held') ??
  state.calls.find((call) => call.status === 'dialing') ??
  null;
