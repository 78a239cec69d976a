import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import {
  addressOf,
  header,
  parseSipMessage,
  responseTo,
  serializeSipMessage,
  type SipMessage,
} from './sip-message';

/**
 * DEMO ONLY. A SIP-over-WebSocket registrar and proxy good enough for calls between sip.js
 * phones in the demo (`npm run gateway -- --demo`): REGISTER binds a user to its websocket,
 * requests are routed to the user's or contact's websocket, responses follow the Via we add.
 * No authentication, no NAT or media handling, no forking, no timers. Production uses the
 * company's PBX or SBC (Asterisk, FreeSWITCH, Kamailio); the tests use a real Kamailio.
 */
export const DEV_SIP_PATH = '/v1/sip';
const VIA_HOST = 'devsip.invalid';
const MAX_MESSAGE_BYTES = 64 * 1024;
const DEFAULT_EXPIRES = 600;

export class DevSipRegistrar {
  /** user (AOR user part) -> the websocket it registered from */
  private readonly registrations = new Map<string, WebSocket>();
  /** user@host of a Contact -> the websocket that sent it (routes in-dialog requests) */
  private readonly contacts = new Map<string, WebSocket>();
  /** our Via branch -> the websocket the request came from (routes responses back) */
  private readonly branches = new Map<string, WebSocket>();

  constructor(private readonly logger: Logger) {}

  /** Takes over one websocket that was upgraded with the 'sip' subprotocol. */
  attach(socket: WebSocket): void {
    socket.on('message', (data, isBinary) => {
      if (isBinary || (data as Buffer).length > MAX_MESSAGE_BYTES) return;
      const message = parseSipMessage(data.toString());
      if (message) this.onMessage(socket, message);
    });
    socket.on('close', () => this.forget(socket));
  }

  get registeredUsers(): string[] {
    return [...this.registrations.keys()];
  }

  private onMessage(from: WebSocket, message: SipMessage): void {
    const contact = addressOf(header(message, 'Contact'));
    if (contact) this.contacts.set(`${contact.user}@${contact.host}`, from);
    if (message.start.kind === 'response') {
      this.routeResponse(message);
      return;
    }
    const { method } = message.start;
    if (method === 'REGISTER') {
      this.register(from, message);
      return;
    }
    if (method === 'OPTIONS' && addressOf(message.start.uri)?.user === undefined) {
      this.send(from, responseTo(message, 200, 'OK'));
      return;
    }
    this.routeRequest(from, message);
  }

  private register(from: WebSocket, message: SipMessage): void {
    const aor = addressOf(header(message, 'To'));
    if (!aor) {
      this.send(from, responseTo(message, 400, 'Bad Request'));
      return;
    }
    const contactValue = header(message, 'Contact') ?? '';
    const expires = Number(
      /;expires=(\d+)/i.exec(contactValue)?.[1] ?? header(message, 'Expires') ?? DEFAULT_EXPIRES,
    );
    if (expires === 0) {
      if (this.registrations.get(aor.user) === from) this.registrations.delete(aor.user);
      this.send(from, responseTo(message, 200, 'OK'));
      return;
    }
    this.registrations.set(aor.user, from);
    const bound = contactValue.replace(/;expires=\d+/i, '');
    this.send(
      from,
      responseTo(message, 200, 'OK', [{ name: 'Contact', value: `${bound};expires=${expires}` }]),
    );
    this.logger.debug({ user: aor.user }, 'demo SIP registration');
  }

  private routeRequest(from: WebSocket, message: SipMessage): void {
    if (message.start.kind !== 'request') return;
    const target = this.targetOf(message.start.uri);
    const isAck = message.start.method === 'ACK';
    if (!target) {
      if (!isAck) this.send(from, responseTo(message, 404, 'Not Found'));
      return;
    }
    const maxForwards = Number(header(message, 'Max-Forwards') ?? 70);
    if (maxForwards <= 0) {
      if (!isAck) this.send(from, responseTo(message, 483, 'Too Many Hops'));
      return;
    }
    // Derived from the sender's branch so that a CANCEL gets the same branch as its INVITE.
    const incomingBranch = /;branch=([^;,\s]+)/i.exec(header(message, 'Via') ?? '')?.[1] ?? '';
    const branch = `z9hG4bK${createHash('sha1').update(incomingBranch).digest('hex').slice(0, 20)}`;
    if (!isAck) this.branches.set(branch, from);
    const headers = message.headers.map((h) =>
      h.name.toLowerCase() === 'max-forwards' ? { name: h.name, value: String(maxForwards - 1) } : h,
    );
    this.send(target, {
      ...message,
      headers: [{ name: 'Via', value: `SIP/2.0/WSS ${VIA_HOST};branch=${branch}` }, ...headers],
    });
  }

  private routeResponse(message: SipMessage): void {
    const top = message.headers.findIndex((h) => h.name.toLowerCase() === 'via');
    const via = top === -1 ? '' : message.headers[top]!.value;
    if (!via.includes(VIA_HOST)) return;
    const branch = /;branch=([^;,\s]+)/i.exec(via)?.[1] ?? '';
    const origin = this.branches.get(branch);
    if (!origin) return;
    if (message.start.kind === 'response' && message.start.status >= 200) {
      // Keep INVITE branches a little longer: a CANCEL's 200 and the INVITE's 487 share them.
      setTimeout(() => this.branches.delete(branch), 32_000).unref();
    }
    this.send(origin, { ...message, headers: message.headers.filter((_h, index) => index !== top) });
  }

  private targetOf(uri: string): WebSocket | undefined {
    const address = addressOf(uri);
    if (!address) return undefined;
    return this.contacts.get(`${address.user}@${address.host}`) ?? this.registrations.get(address.user);
  }

  private send(socket: WebSocket, message: SipMessage): void {
    if (socket.readyState === socket.OPEN) socket.send(serializeSipMessage(message));
  }

  private forget(socket: WebSocket): void {
    for (const map of [this.registrations, this.contacts, this.branches]) {
      for (const [key, value] of map) if (value === socket) map.delete(key);
    }
  }
}
