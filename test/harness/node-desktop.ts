import type { TrayIndicator } from '../../src/shared/desktop';
import type {
  DesktopAdapters,
  NotificationChoice,
  NotificationRequest,
} from '../../src/main/services/desktop/desktop-adapters';

/**
 * The desktop adapters in the harness: they record what Electron would have shown and let a
 * test press what the agent would have pressed (a notification button, a global hotkey).
 */
export class NodeDesktop implements DesktopAdapters {
  /** A headless browser window is never in front, as for an agent busy in another app. */
  focused = false;
  focusRequests = 0;
  readonly shown: NotificationRequest[] = [];
  readonly closed: string[] = [];
  readonly trayStates: Array<{ indicator: TrayIndicator; tooltip: string }> = [];
  private readonly choices = new Map<string, (choice: NotificationChoice) => void>();
  private readonly bindings = new Map<string, () => void>();
  /** Accelerators "owned by another app": registering them fails. */
  readonly taken = new Set<string>();

  readonly notifications = {
    show: (request: NotificationRequest, onChoice: (choice: NotificationChoice) => void) => {
      this.shown.push(request);
      this.choices.set(request.id, onChoice);
    },
    close: (id: string) => {
      this.closed.push(id);
      this.choices.delete(id);
    },
  };

  readonly hotkeys = {
    register: (accelerator: string, onPress: () => void) => {
      if (this.taken.has(accelerator)) return false;
      this.bindings.set(accelerator, onPress);
      return true;
    },
    unregisterAll: () => this.bindings.clear(),
  };

  readonly tray = {
    show: (indicator: TrayIndicator, tooltip: string) => {
      this.trayStates.push({ indicator, tooltip });
    },
  };

  readonly window = {
    isFocused: () => this.focused,
    focus: () => {
      this.focusRequests += 1;
    },
  };

  get registeredHotkeys(): string[] {
    return [...this.bindings.keys()];
  }

  /** The agent clicks a button of a notification still on screen. */
  choose(id: string, choice: NotificationChoice): void {
    const onChoice = this.choices.get(id);
    if (!onChoice) throw new Error(`no open notification ${id}`);
    this.choices.delete(id);
    onChoice(choice);
  }

  /** The agent presses a global hotkey. */
  press(accelerator: string): void {
    const onPress = this.bindings.get(accelerator);
    if (!onPress) throw new Error(`hotkey ${accelerator} is not registered`);
    onPress();
  }
}
