import { webSocketOrigin } from '../shared/transport';

/**
 * A host the CSP grammar can carry (letters, digits, dots, hyphens; IDNs arrive as punycode):
 * anything else (an IPv6 literal, a ';' the URL parser lets through) would be ignored by the
 * browser or split the policy, so it is left out and the renderer cannot reach it.
 */
const CSP_HOST_ORIGIN = /^wss?:\/\/[a-z0-9-]+(\.[a-z0-9-]+)*(:\d+)?$/;

/**
 * The renderer's Content-Security-Policy. Scripts only from the app itself; antd's CSS-in-JS
 * needs inline styles. The renderer's only connection is sip.js's websocket to the PBX (the
 * gateway is reached by main over IPC), so connect-src allows the configured phone server
 * origin(s) and nothing else: a script injected into the page cannot send data elsewhere. Main
 * builds it per response from the phone settings (app-protocol.ts); a document keeps the policy
 * it loaded with, so a new PBX address needs a reload (see the softphone's policy reload).
 */
export function contentSecurityPolicy(phoneServerUrls: readonly string[]): string {
  const origins = new Set<string>();
  for (const url of phoneServerUrls) {
    const origin = webSocketOrigin(url);
    if (origin && CSP_HOST_ORIGIN.test(origin)) origins.add(origin);
  }
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    ["connect-src 'self'", ...origins].join(' '),
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
