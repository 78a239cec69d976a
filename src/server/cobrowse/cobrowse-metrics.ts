import type { CodeRefusal } from './cobrowse-codes';
import type { CobrowseEndReason } from '../../shared/cobrowse-protocol';

/** Why events from the snippet were not relayed (a metric label: keep the set fixed). */
export const EVENT_DROP_REASONS = ['backpressure', 'rate', 'no_consent'] as const;
export type EventDropReason = (typeof EVENT_DROP_REASONS)[number];

/** Why an agent's join with a code was refused (a metric label). */
export const JOIN_REFUSALS = ['wrong_code', 'rate_limited'] as const;
export type JoinRefusal = (typeof JOIN_REFUSALS)[number];

/** What co-browse reports as it works (GatewayMetrics implements it). */
export interface CobrowseMetrics {
  /** A customer's websocket was refused before the handshake: its Origin is not allowed. */
  customerRefused(reason: 'origin'): void;
  /** A customer asked for a code: issued, or refused and why. */
  codeRequested(outcome: 'issued' | CodeRefusal): void;
  /** An agent's join was refused: a wrong, used or expired code, or too many of them. */
  joinRefused(reason: JoinRefusal): void;
  /** One frame relayed to the agent or the customer, of `bytes` bytes. */
  relayed(direction: 'to_agent' | 'to_customer', bytes: number): void;
  eventsDropped(reason: EventDropReason): void;
  cobrowseEnded(reason: CobrowseEndReason): void;
}
