import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ app: {}, session: {}, shell: { openExternal: vi.fn() } }));

const {
  isPermissionAllowed,
  isSafeExternalUrl,
  isAllowedNavigation,
  secureWebPreferences,
  hardenSession,
  developmentOverrides,
  refusedDebugSwitches,
} = await import('../../../src/main/security');
const { resolveAppPath } = await import('../../../src/main/app-path');
const { contentSecurityPolicy } = await import('../../../src/main/content-security-policy');

const APP = 'agentdesk://app';

describe('permission table', () => {
  it('allows the microphone (media) for the app origin only', () => {
    expect(isPermissionAllowed('media', `${APP}/index.html`, APP, { mediaTypes: ['audio'] })).toBe(true);
    expect(isPermissionAllowed('media', 'https://evil.example/', APP, { mediaTypes: ['audio'] })).toBe(false);
    expect(isPermissionAllowed('media', 'agentdesk://other/index.html', APP)).toBe(false);
    expect(isPermissionAllowed('media', undefined, APP)).toBe(false);
  });

  it('denies geolocation even to the app origin', () => {
    expect(isPermissionAllowed('geolocation', `${APP}/index.html`, APP)).toBe(false);
  });

  it.each(['midi', 'hid', 'usb', 'serial', 'openExternal', 'pointerLock', 'unknown'])(
    'denies %s',
    (permission) => {
      expect(isPermissionAllowed(permission, `${APP}/`, APP)).toBe(false);
    },
  );

  it('grants the microphone, never the camera: a request must ask for audio only', () => {
    const app = `${APP}/index.html`;
    expect(isPermissionAllowed('media', app, APP, { mediaTypes: ['video'] })).toBe(false);
    expect(isPermissionAllowed('media', app, APP, { mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(isPermissionAllowed('media', app, APP, { mediaTypes: [] })).toBe(false);
    expect(isPermissionAllowed('media', app, APP, {})).toBe(false);
    expect(isPermissionAllowed('media', app, APP, { mediaType: 'audio' })).toBe(true);
    expect(isPermissionAllowed('media', app, APP, { mediaType: 'video' })).toBe(false);
    expect(isPermissionAllowed('media', app, APP, { mediaType: 'unknown' })).toBe(false);
    // Screen share is its own permission, video and all.
    expect(isPermissionAllowed('display-capture', app, APP, { mediaTypes: ['video', 'audio'] })).toBe(true);
  });

  it('applies the same table to request and check handlers', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void, d: object) => void) | undefined;
    let check: ((c: unknown, p: string, origin: string, d: object) => boolean) | undefined;
    const fakeSession = {
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    };
    hardenSession(fakeSession as never, APP);
    const answers: boolean[] = [];
    request!({ getURL: () => `${APP}/` }, 'media', (ok) => answers.push(ok), {
      requestingUrl: `${APP}/index.html`,
      mediaTypes: ['audio'],
    });
    request!({ getURL: () => `${APP}/` }, 'media', (ok) => answers.push(ok), {
      requestingUrl: `${APP}/index.html`,
      mediaTypes: ['audio', 'video'],
    });
    request!({ getURL: () => `${APP}/` }, 'geolocation', (ok) => answers.push(ok), {
      requestingUrl: `${APP}/index.html`,
    });
    request!({ getURL: () => 'https://evil.example/' }, 'media', (ok) => answers.push(ok), {
      mediaTypes: ['audio'],
    });
    expect(answers).toEqual([true, false, false, false]);
    expect(check!(null, 'media', APP, { mediaType: 'audio' })).toBe(true);
    expect(check!(null, 'media', APP, { mediaType: 'video' })).toBe(false);
    expect(check!(null, 'geolocation', APP, {})).toBe(false);
    expect(check!(null, 'media', 'https://evil.example', { mediaType: 'audio' })).toBe(false);
  });
});

describe('navigation and external links', () => {
  it('opens only http(s) and mailto externally', () => {
    expect(isSafeExternalUrl('https://help.example.com')).toBe(true);
    expect(isSafeExternalUrl('mailto:ops@example.com')).toBe(true);
    expect(isSafeExternalUrl('file:///etc/passwd')).toBe(false);
    expect(isSafeExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isSafeExternalUrl('smb://host/share')).toBe(false);
    expect(isSafeExternalUrl('not a url')).toBe(false);
  });

  it('keeps the window on the app origin', () => {
    expect(isAllowedNavigation(`${APP}/index.html`, APP)).toBe(true);
    expect(isAllowedNavigation('https://example.com/', APP)).toBe(false);
    expect(isAllowedNavigation('file:///index.html', APP)).toBe(false);
  });
});

describe('windows', () => {
  it('sandboxes every window with isolation and no node, and keeps it unthrottled', () => {
    expect(secureWebPreferences('/p.cjs', { packaged: false })).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
      backgroundThrottling: false,
      autoplayPolicy: 'no-user-gesture-required',
      preload: '/p.cjs',
    });
  });

  it('has a CSP that allows scripts from the app only', () => {
    const policy = contentSecurityPolicy(['wss://pbx.example.com/ws']);
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    expect(policy).toContain("object-src 'none'");
  });

  it('lets the renderer connect to the configured phone server origin and nothing else', () => {
    const connectSrc = (urls: string[]) => /connect-src ([^;]*)/.exec(contentSecurityPolicy(urls))![1];
    expect(connectSrc(['wss://PBX.example.com:8089/ws?transport=ws'])).toBe(
      "'self' wss://pbx.example.com:8089",
    );
    expect(connectSrc(['ws://127.0.0.1:5066/ws'])).toBe("'self' ws://127.0.0.1:5066");
    expect(connectSrc([''])).toBe("'self'");
    expect(connectSrc(['wss://a.example/ws', 'wss://a.example/other', 'wss://b.example'])).toBe(
      "'self' wss://a.example wss://b.example",
    );
  });

  it('leaves out what the desk refuses or the CSP cannot carry (no wildcard, no injection)', () => {
    for (const url of [
      'ws://pbx.example.com/ws', // ws:// to another computer
      'https://pbx.example.com', // not a websocket
      'wss://a;script-src/ws', // the URL parser keeps the ';'
      "wss://a'b/ws",
      'wss://*.example.com/ws',
      'wss://[fd00::5]/ws', // no IPv6 literals in CSP host sources
    ]) {
      const policy = contentSecurityPolicy([url]);
      expect(policy, url).toContain("connect-src 'self'; ");
      expect(policy.split('; '), url).toHaveLength(11);
    }
    expect(contentSecurityPolicy(['wss://pbx.example.com'])).not.toMatch(
      /connect-src[^;]*(\*|wss:(?!\/)|ws:(?!\/))/,
    );
  });
});

describe('packaged builds', () => {
  it('have no DevTools; development builds keep them', () => {
    expect(secureWebPreferences('/p.cjs', { packaged: true }).devTools).toBe(false);
    expect(secureWebPreferences('/p.cjs', { packaged: false }).devTools).toBe(true);
  });

  it('ignore the variables that load code or content into the app', () => {
    const env = {
      AGENT_DESK_SQLITE_BINDING: '/tmp/evil.node',
      ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173',
    };
    expect(developmentOverrides(env, { packaged: true })).toEqual({});
    expect(developmentOverrides(env, { packaged: false })).toEqual({
      sqliteBinding: '/tmp/evil.node',
      rendererUrl: 'http://127.0.0.1:5173',
    });
    expect(developmentOverrides({}, { packaged: false })).toEqual({});
  });

  it('refuse to start with a debugger switch', () => {
    const given = new Set(['remote-debugging-port', 'inspect', 'lang']);
    expect(refusedDebugSwitches((name) => given.has(name), { packaged: true })).toEqual([
      'remote-debugging-port',
      'inspect',
    ]);
    expect(refusedDebugSwitches((name) => given.has(name), { packaged: false })).toEqual([]);
    expect(refusedDebugSwitches(() => false, { packaged: true })).toEqual([]);
  });
});

describe('app protocol paths', () => {
  const root = '/opt/agent-desk/renderer';
  it('maps app URLs into the renderer folder', () => {
    expect(resolveAppPath(`${APP}/`, root)).toBe(`${root}/index.html`);
    expect(resolveAppPath(`${APP}/assets/index.js`, root)).toBe(`${root}/assets/index.js`);
  });
  it('refuses traversal and foreign hosts', () => {
    expect(resolveAppPath(`${APP}/..%2f..%2fetc/passwd`, root)).toBeNull();
    // The URL parser already folds dot segments: whatever comes out stays inside the root.
    expect(resolveAppPath(`${APP}/%2e%2e/%2e%2e/etc/passwd`, root)).toBe(`${root}/etc/passwd`);
    expect(resolveAppPath(`${APP}/a/..%5c..%5c..%5cetc/passwd`, root)?.startsWith(`${root}/`) ?? true).toBe(
      true,
    );
    expect(resolveAppPath('agentdesk://evil/index.html', root)).toBeNull();
    expect(resolveAppPath('https://app/index.html', root)).toBeNull();
  });
});
