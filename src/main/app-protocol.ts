import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { resolveAppPath } from './app-path';
import { APP_SCHEME } from './origin';
import { contentSecurityPolicy } from './content-security-policy';

/** Must run before the app is ready: makes agentdesk:// a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/**
 * Serves the built renderer from agentdesk://app/ with the CSP header on every response, built
 * from the phone server address(es) as they are then: a reload picks up a changed PBX.
 */
export function serveRenderer(rendererDir: string, phoneServerUrls: () => readonly string[]): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppPath(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', contentSecurityPolicy(phoneServerUrls()));
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
