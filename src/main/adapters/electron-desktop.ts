import { join } from 'node:path';
import { Notification, Tray, globalShortcut, nativeImage, type BrowserWindow } from 'electron';
import type { TrayIndicator } from '../../shared/desktop';
import type { DesktopAdapters, NotificationChoice } from '../services/desktop/desktop-adapters';

/**
 * The desktop adapters on Electron: native notifications with Answer/Decline, global
 * shortcuts, the tray icon and the window. Thin on purpose: the logic is in services/desktop.
 */
export function electronDesktopAdapters(
  resourcesDir: string,
  getWindow: () => BrowserWindow | null,
): DesktopAdapters {
  const open = new Map<string, Notification>();
  let tray: Tray | null = null;
  const trayImage = (indicator: TrayIndicator) =>
    nativeImage.createFromPath(join(resourcesDir, `tray-${indicator}.png`));

  return {
    notifications: {
      show(request, onChoice) {
        const notification = new Notification({
          title: request.title,
          body: request.body,
          urgency: 'critical',
          // Action buttons exist on macOS and Windows; elsewhere a click opens the desk.
          actions: [
            { type: 'button', text: request.answerLabel },
            { type: 'button', text: request.declineLabel },
          ],
        });
        const choose = (choice: NotificationChoice) => {
          open.delete(request.id);
          onChoice(choice);
        };
        notification.on('action', (_event, index) => choose(index === 0 ? 'answer' : 'decline'));
        notification.on('click', () => choose('open'));
        open.set(request.id, notification);
        notification.show();
      },
      close(id) {
        open.get(id)?.close();
        open.delete(id);
      },
    },
    hotkeys: {
      register: (accelerator, onPress) => globalShortcut.register(accelerator, onPress),
      unregisterAll: () => globalShortcut.unregisterAll(),
    },
    tray: {
      show(indicator, tooltip) {
        if (!tray) {
          tray = new Tray(trayImage(indicator));
          tray.on('click', () => getWindow()?.show());
        } else {
          tray.setImage(trayImage(indicator));
        }
        tray.setToolTip(tooltip);
      },
    },
    window: {
      isFocused: () => getWindow()?.isFocused() ?? false,
      focus() {
        const window = getWindow();
        if (!window) return;
        if (window.isMinimized()) window.restore();
        window.show();
        window.focus();
      },
    },
  };
}
