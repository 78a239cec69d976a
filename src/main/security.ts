import { app, session, shell, type Session, type WebContents, type WebPreferences } from 'electron';
import { originOf } from './origin';

/**
 * All hardening of the Electron app in one module (Element Desktop's pattern): sandboxed
 * windows, denied window.open, guarded navigation, an openExternal allowlist, a permission
 * table, and what packaged builds refuse. The policies are plain functions so they are
 * unit-tested without Electron. The CSP is content-security-policy.ts (no Electron import, so
 * the browser harness can serve the same header).
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
  /** A 'media' request: which devices it asks for ('audio' the microphone, 'video' the camera). */
  mediaTypes?: readonly string[];
  /** A 'media' check: the one device type it asks about ('audio', 'video' or 'unknown'). */
  mediaType?: string;
}

/**
 * The desk uses the microphone only (calls are audio; screen share is 'display-capture'): a
 * 'media' request or check is allowed when it names devices and every one is 'audio'. A camera
 * request, a request that asks for both, and a check about video or an unknown device are
 * refused, so a microphone grant never lets the page see the camera.
 */
function asksForMicrophoneOnly({ mediaTypes, mediaType }: PermissionDetails): boolean {
  const asked = mediaTypes ?? (mediaType === undefined ? [] : [mediaType]);
  return asked.length > 0 && asked.every((type) => type === 'audio');
}

/**
 * The permission table: microphone, display capture and notifications only for the app's own
 * origin; everything else (camera, geolocation, MIDI, HID, USB, serial, ...) is denied for everyone.
 */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  appOrigin: string,
  details: PermissionDetails = {},
): boolean {
  if (!APP_ONLY_PERMISSIONS.has(permission)) return false;
  if (requestingUrl === undefined || originOf(requestingUrl) !== appOrigin) return false;
  return permission !== 'media' || asksForMicrophoneOnly(details);
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

/** How the app was built: a packaged (installed) build closes the doors development needs. */
export interface BuildKind {
  packaged: boolean;
}

export function secureWebPreferences(preloadPath: string, { packaged }: BuildKind): WebPreferences {
  return {
    preload: preloadPath,
    // DevTools read and change everything in the page (tokens, customer data, the SIP password
    // handed to the softphone): an agent's installed app has none.
    devTools: !packaged,
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
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(isPermissionAllowed(permission, url, appOrigin, mediaTypes ? { mediaTypes } : {}));
  });
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(
      permission,
      requestingOrigin,
      appOrigin,
      details.mediaType ? { mediaType: details.mediaType } : {},
    ),
  );
}

/**
 * Environment variables that load code or content into the app (another better-sqlite3 addon,
 * a dev server's renderer). Whoever can set a variable for the agent's session could otherwise
 * run their code inside the desk with its keys: only development builds honour them.
 */
export interface DevelopmentOverrides {
  rendererUrl?: string;
  sqliteBinding?: string;
}

export function developmentOverrides(
  env: Readonly<Record<string, string | undefined>>,
  { packaged }: BuildKind,
): DevelopmentOverrides {
  if (packaged) return {};
  return {
    ...(env.ELECTRON_RENDERER_URL ? { rendererUrl: env.ELECTRON_RENDERER_URL } : {}),
    ...(env.AGENT_DESK_SQLITE_BINDING ? { sqliteBinding: env.AGENT_DESK_SQLITE_BINDING } : {}),
  };
}

/**
 * Command-line switches that open a debugger into the app: Chromium's remote debugging (which
 * works whatever webPreferences say) and Node's inspector for main. A packaged build refuses to
 * start with any of them (the fuses DESIGN.md asks of packaging close Node's for good).
 */
const DEBUG_SWITCHES = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'inspect',
  'inspect-brk',
  'inspect-port',
];

export function refusedDebugSwitches(
  hasSwitch: (name: string) => boolean,
  { packaged }: BuildKind,
): string[] {
  return packaged ? DEBUG_SWITCHES.filter((name) => hasSwitch(name)) : [];
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
