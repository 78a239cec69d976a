import { DeskError } from './errors';

/**
 * Which addresses the desk may talk to in clear. Agent sign-in, tokens, customer data and SIP
 * digest exchanges travel over these links, so anything that leaves the computer must be
 * encrypted (wss://, https://); ws:// and http:// are for this computer only (tests, the demo
 * gateway and the dev registrar run on loopback).
 */

/** Why an address may not be used for a websocket, or null when it may. */
export type WebSocketUrlProblem =
  /** Not a ws:// or wss:// URL with a host. */
  | 'not_websocket'
  /** ws:// to another computer: only wss:// may leave this one. */
  | 'insecure';

/**
 * 127.0.0.0/8, ::1 and localhost, as the WHATWG URL parser leaves a hostname: IPv4 in dotted
 * decimal (127.1 and 0x7f000001 become 127.0.0.1), IPv6 compressed and in brackets.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** True when the URL is encrypted (wss:, https:) or stays on this computer (ws:, http: to loopback). */
export function isSecureTransport(url: URL): boolean {
  if (url.protocol === 'wss:' || url.protocol === 'https:') return true;
  return (url.protocol === 'ws:' || url.protocol === 'http:') && isLoopbackHost(url.hostname);
}

/** The gateway and the PBX are both reached over websockets: wss:// anywhere, ws:// to loopback only. */
export function webSocketUrlProblem(value: string): WebSocketUrlProblem | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return 'not_websocket';
  }
  if ((url.protocol !== 'ws:' && url.protocol !== 'wss:') || url.hostname === '') return 'not_websocket';
  return isSecureTransport(url) ? null : 'insecure';
}

/** scheme://host[:port] of a ws:// or wss:// URL the desk may use (see webSocketUrlProblem), else null. */
export function webSocketOrigin(value: string): string | null {
  if (webSocketUrlProblem(value) !== null) return null;
  const url = new URL(value.trim());
  return `${url.protocol}//${url.host}`;
}

/** Throws INSECURE_TRANSPORT for a ws:// address to another computer (what: 'gateway', 'phone server'). */
export function refuseInsecureWebSocket(what: string, value: string): void {
  if (webSocketUrlProblem(value) === 'insecure') {
    throw new DeskError(
      'INSECURE_TRANSPORT',
      `The ${what} address uses ws:// to another computer: only wss:// may leave this one`,
    );
  }
}
