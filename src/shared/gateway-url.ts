import { webSocketUrlProblem } from './transport';

/**
 * The gateway speaks websockets: only ws:// and wss:// addresses with a host make sense. Whether
 * a ws:// one may be used (loopback only) is decided at sign-in (see transport.ts).
 */
export function isGatewayUrl(value: string): boolean {
  return webSocketUrlProblem(value) !== 'not_websocket';
}
