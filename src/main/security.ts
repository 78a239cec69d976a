import { app, session, shell, type Session, type WebContents, type WebPreferences } from 'electron';
import { originOf } from './origin';

/**
 * All hardening of the Electron app in one module (Element Desktop's pattern): sandboxed
 * windows, denied window.open, guarded navigation, an openExternal allowlist and a permission
 * table. The policies are plain functions so they are unit-tested without Electron. The CSP is
 * content-security-policy.ts (no Electron import, so the browser harness can serve the same header).
 */

/** Permissions the app's own origin may use (softphone, screen share, notifications, copy). */
const APP_ONLY_PERMISSIONS = new Set([
  'media',
  'display-capture',
  'notifications',
  'clipboard-sanitized-write',
  'speaker-selection',
]);

export interface PermissionDetails {
  /** For 'media': which devices ('audio', 'video'). */
  mediaTypes?: readonly string[];
}

/**
 * The permission table: microphone/camera/display capture/notifications only for the app's own
 * origin; everything else (geolocation, MIDI, HID, USB, serial, ...) is denied for everyone.
 */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  appOrigin: string,
  _details: PermissionDetails = {},
): boolean {
  if (!APP_ONLY_PERMISSIONS.has(permission)) return false;
  return requestingUrl !== undefined && originOf(requestingUrl) === appOrigin;
}

/** Links the agent clicks open in the system browser only if they are web or mail links. */
export function isSafeExternalUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:' || protocol === 'mailto:';
  } catch {
    return false;
  }
}

/** The window never navigates away from the app. */
export function isAllowedNavigation(value: string, appOrigin: string): boolean {
  return originOf(value) === appOrigin;
}

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    // A throttled background window misses incoming calls.
    backgroundThrottling: false,
    // The first ring must sound even if the agent has not clicked anything since start.
    autoplayPolicy: 'no-user-gesture-required',
    spellcheck: false,
  };
}

export function hardenSession(target: Session, appOrigin: string): void {
  target.setPermissionRequestHandler((contents, permission, callback, details) => {
    const url = details.requestingUrl ?? contents?.getURL();
    callback(isPermissionAllowed(permission, url, appOrigin, details as PermissionDetails));
  });
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, appOrigin),
  );
}

export function hardenWebContents(contents: WebContents, appOrigin: string): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!isAllowedNavigation(url, appOrigin)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Process-wide hardening. Call before `app.whenReady()`; returns false when another instance
 * already runs (that instance is focused instead, and this one should quit).
 */
export function applyAppHardening(appOrigin: () => string): boolean {
  app.enableSandbox();
  if (!app.requestSingleInstanceLock()) return false;
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appOrigin()));
  void app.whenReady().then(() => hardenSession(session.defaultSession, appOrigin()));
  return true;
}
