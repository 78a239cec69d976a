import { join } from 'node:path';
import { BrowserWindow, Menu, app } from 'electron';
import { electronDesktopAdapters } from './adapters/electron-desktop';
import { safeStorageKeyProvider } from './adapters/safe-storage-key-provider';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { DeskServices } from './desk-services';
import { registerIpc, sendEvent } from './ipc';
import { PACKAGED_APP_ORIGIN, originOf } from './origin';
import {
  applyAppHardening,
  developmentOverrides,
  refusedDebugSwitches,
  secureWebPreferences,
} from './security';

/**
 * Electron entry point: lifecycle, the window and the tray. Everything with logic lives in
 * services that run (and are tested) under plain Node.
 */

const build = { packaged: app.isPackaged };
const { rendererUrl: devRendererUrl, sqliteBinding } = developmentOverrides(process.env, build);
const appOrigin = (devRendererUrl && originOf(devRendererUrl)) || PACKAGED_APP_ORIGIN;
const debugSwitches = refusedDebugSwitches((name) => app.commandLine.hasSwitch(name), build);
const DEFAULT_GATEWAY_URL = process.env.AGENT_DESK_GATEWAY_URL ?? 'ws://127.0.0.1:8787/v1/agent';
const DEMO_GATEWAY_URL = process.env.AGENT_DESK_DEMO_GATEWAY_URL ?? null;
const RESOURCES_DIR = join(import.meta.dirname, '../../resources');

registerAppScheme();
if (debugSwitches.length > 0) {
  console.error(`Agent Desk does not start with debugging switches: --${debugSwitches.join(', --')}`);
  app.exit(1);
} else if (!applyAppHardening(() => appOrigin)) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | null = null;

  const services = new DeskServices({
    dataDir: app.getPath('userData'),
    appInfo: { version: app.getVersion(), platform: process.platform, host: 'electron' },
    defaultLanguage: app.getLocale().startsWith('zh') ? 'zh-CN' : 'en',
    defaultGatewayUrl: DEFAULT_GATEWAY_URL,
    demoGatewayUrl: DEMO_GATEWAY_URL,
    desktop: electronDesktopAdapters(RESOURCES_DIR, () => mainWindow),
    keyProvider: safeStorageKeyProvider,
    // An Electron build of better-sqlite3, kept apart from the Node build that tests use.
    ...(sqliteBinding ? { sqliteBinding } : {}),
    onError: (method, err) => console.error(`[ipc] ${method} failed: ${err.code} ${err.message}`),
  });

  const createWindow = (): BrowserWindow => {
    const window = new BrowserWindow({
      width: 1280,
      height: 800,
      minWidth: 1024,
      minHeight: 640,
      show: false,
      title: 'Agent Desk',
      webPreferences: secureWebPreferences(join(import.meta.dirname, '../preload/index.cjs'), build),
    });
    window.once('ready-to-show', () => window.show());
    void window.loadURL(devRendererUrl ?? `${PACKAGED_APP_ORIGIN}/index.html`);
    return window;
  };

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', () => {
    void services.stop();
  });

  app.on('will-quit', () => {
    // Global shortcuts outlive the app on some systems unless released.
    services.hotkeys.stop();
  });

  void app.whenReady().then(async () => {
    Menu.setApplicationMenu(null);
    serveRenderer(join(import.meta.dirname, '../renderer'), () => [
      services.phoneSettings.get().sip.serverUrl,
    ]);
    await services.start();
    registerIpc(services.dispatch, appOrigin);
    mainWindow = createWindow();
    services.addEventSink((event, payload) => {
      if (mainWindow) sendEvent(mainWindow.webContents, event, payload);
    });
    services.tray.report({
      phone: 'unconfigured',
      agentState: 'available',
      ringing: false,
      tooltip: 'Agent Desk',
    });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });
}
