import type { Duplex } from 'node:stream';
import type { ErrorInfo } from '../../shared/errors';
import { addressLimitKey } from './client-address';
import { answerUpgrade } from './upgrade-response';

export interface ConnectionCaps {
  /** Websockets open at once, all clients together. */
  maxConnections: number;
  /** Agent websockets open at once from one client address (an IPv6 client: its /64). */
  maxConnectionsPerAddress: number;
}

/**
 * 10,000 in total: five times the 2,000 agents the gateway is benchmarked with. 500 per address:
 * a call-center site whose agents all reach the gateway through one NAT address, with a desk or
 * two each, fits; one client alone cannot take the whole gateway.
 */
export const DEFAULT_CONNECTION_CAPS: ConnectionCaps = {
  maxConnections: 10_000,
  maxConnectionsPerAddress: 500,
};

/** Which cap a refused connection was over (a metric label: keep the set fixed). */
export const CONNECTION_REFUSALS = ['total_cap', 'address_cap'] as const;
export type ConnectionRefusal = (typeof CONNECTION_REFUSALS)[number];

export type Admission =
  { admitted: true; release: () => void } | { admitted: false; refusal: ConnectionRefusal };

/**
 * Counts open websockets in total and per client address. A connection is counted from its
 * upgrade request (so that handshakes under way count too) until it is released.
 */
export class ConnectionLimits {
  private open = 0;
  private readonly openByAddress = new Map<string, number>();

  constructor(private readonly caps: ConnectionCaps) {
    for (const [name, value] of Object.entries(caps)) {
      if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
    }
  }

  /**
   * Counts a connection in, or says which cap it is over. `address` null: counted in the total
   * only (the demo SIP registrar's sockets).
   */
  admit(address: string | null): Admission {
    if (this.open >= this.caps.maxConnections) return { admitted: false, refusal: 'total_cap' };
    const key = address === null ? null : addressLimitKey(address);
    const fromAddress = key === null ? 0 : (this.openByAddress.get(key) ?? 0);
    if (key !== null && fromAddress >= this.caps.maxConnectionsPerAddress) {
      return { admitted: false, refusal: 'address_cap' };
    }
    this.open += 1;
    if (key !== null) this.openByAddress.set(key, fromAddress + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.open -= 1;
      if (key === null) return;
      const left = this.openByAddress.get(key)! - 1;
      if (left === 0) this.openByAddress.delete(key);
      else this.openByAddress.set(key, left);
    };
    return { admitted: true, release };
  }

  /** Admits a connection for as long as its socket stays open. */
  admitSocket(socket: Duplex, address: string | null): Admission {
    const admission = this.admit(address);
    if (admission.admitted) socket.once('close', admission.release);
    return admission;
  }

  get openConnections(): number {
    return this.open;
  }
}

/** How long a refused client is asked to wait before trying again. */
export const REFUSED_RETRY_AFTER_SECONDS = 10;

/** Answers an upgrade over a cap with 503 and Retry-After, before any websocket handshake. */
export function refuseUpgrade(socket: Duplex, refusal: ConnectionRefusal): void {
  const error: ErrorInfo =
    refusal === 'address_cap'
      ? { code: 'RATE_LIMITED', message: 'Too many connections from this address: try again later' }
      : { code: 'GATEWAY_UNAVAILABLE', message: 'The gateway is at its connection limit: try again later' };
  answerUpgrade(
    socket,
    '503 Service Unavailable',
    { 'Retry-After': REFUSED_RETRY_AFTER_SECONDS, 'Content-Type': 'application/json; charset=utf-8' },
    JSON.stringify({ error }),
  );
}
