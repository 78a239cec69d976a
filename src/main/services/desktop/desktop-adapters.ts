import type { TrayIndicator } from '../../../shared/desktop';

/**
 * What the desktop services need from the operating system. Electron implements these in
 * src/main/adapters (thin, type-checked); the harness implements them in Node so the logic
 * behind them runs in tests.
 */
export interface NotificationRequest {
  id: string;
  title: string;
  body: string;
  answerLabel: string;
  declineLabel: string;
}

export type NotificationChoice = 'answer' | 'decline' | 'open';

export interface NotificationAdapter {
  show(request: NotificationRequest, onChoice: (choice: NotificationChoice) => void): void;
  close(id: string): void;
}

export interface HotkeyAdapter {
  /** False when the system or another app already owns the accelerator. */
  register(accelerator: string, onPress: () => void): boolean;
  unregisterAll(): void;
}

export interface TrayAdapter {
  show(indicator: TrayIndicator, tooltip: string): void;
}

export interface WindowAdapter {
  isFocused(): boolean;
  /** Brings the desk to the front (restoring it if minimised). */
  focus(): void;
}

export interface DesktopAdapters {
  notifications: NotificationAdapter;
  hotkeys: HotkeyAdapter;
  tray: TrayAdapter;
  window: WindowAdapter;
}
