import { normalize, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './origin';

/**
 * Maps an agentdesk://app/... URL to a file under the renderer folder, or null if the URL is not
 * the app's or escapes the folder (path traversal).
 */
export function resolveAppPath(requestUrl: string, rendererDir: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const relative = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = resolve(rendererDir);
  const target = resolve(root, normalize(relative));
  return target.startsWith(root + sep) ? target : null;
}
