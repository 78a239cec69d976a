import { create } from 'zustand';
import type { Settings } from '../../shared/contract';

interface SettingsStore {
  /** Null until the desk has answered `settings.get` at startup. */
  settings: Settings | null;
  applySettings(settings: Settings): void;
}

/** The agent's saved settings, as main last reported them. */
export const useSettingsStore = create<SettingsStore>()((set) => ({
  settings: null,
  applySettings: (settings) => set({ settings }),
}));

export const selectSettings = (state: SettingsStore) => state.settings;
export const selectApplySettings = (state: SettingsStore) => state.applySettings;
