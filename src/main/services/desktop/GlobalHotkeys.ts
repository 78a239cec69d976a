import { HOTKEY_ACTIONS, type HotkeyAction, type Hotkeys } from '../../../shared/phone-settings';
import type { HotkeyAdapter } from './desktop-adapters';

/**
 * System-wide hotkeys for the phone (answer, hang up, mute), so an agent typing in another app
 * can still take a call. Re-registered whenever the agent changes them.
 */
export class GlobalHotkeys {
  private failed: HotkeyAction[] = [];

  constructor(
    private readonly adapter: HotkeyAdapter,
    private readonly onPress: (action: HotkeyAction) => void,
  ) {}

  /** Actions whose accelerator another application owns (the settings screen says so). */
  get unavailable(): readonly HotkeyAction[] {
    return this.failed;
  }

  apply(hotkeys: Hotkeys): void {
    this.adapter.unregisterAll();
    this.failed = HOTKEY_ACTIONS.filter(
      (action) => !this.adapter.register(hotkeys[action], () => this.onPress(action)),
    );
  }

  stop(): void {
    this.adapter.unregisterAll();
    this.failed = [];
  }
}
