/** The app's own scheme: the renderer is served from agentdesk://app/, never from file://. */
export const APP_SCHEME = 'agentdesk';
export const APP_HOST = 'app';
export const PACKAGED_APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * scheme://host[:port] of a URL, or null. Node's URL gives custom schemes an opaque "null"
 * origin, so it is built from the parts rather than read from `url.origin`.
 */
export function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    if (!url.host) return null;
    return `${url.protocol}//${url.host}`;
  } catch {
    return null;
  }
}
