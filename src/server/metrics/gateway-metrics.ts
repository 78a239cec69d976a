import { isGatewayMethod } from '../../shared/protocol';
import { CONNECTION_REFUSALS, type ConnectionRefusal } from '../edge/connection-limits';
import { HTTP_TIMEOUT_PHASES, type EdgeServerMetrics, type HttpTimeoutPhase } from '../edge/edge-server';
import type { WebhookResult } from '../platforms/webhooks/webhook-endpoint';
// ---- co-browse ----
import { CODE_REFUSALS, type CodeRefusal } from '../cobrowse/cobrowse-codes';
import {
  EVENT_DROP_REASONS,
  JOIN_REFUSALS,
  type CobrowseMetrics,
  type EventDropReason,
  type JoinRefusal,
} from '../cobrowse/cobrowse-metrics';
import { COBROWSE_END_REASONS, type CobrowseEndReason } from '../../shared/cobrowse-protocol';
// ---- end co-browse ----
import { Counter, Gauge, Histogram, MetricsRegistry } from './prometheus-registry';

/** What an agent connection reports as it works. */
export interface ConnectionMetrics {
  frameReceived(): void;
  frameSent(): void;
  /** `outcome` is 'OK' or the error code the request was answered with. */
  requestCompleted(method: string, outcome: string, seconds: number): void;
  /** The connection was closed for not saying hello, or not signing in, in time. */
  connectionTimedOut(stage: ConnectionTimeoutStage): void;
  /** The gateway ended the connection's session: it expired, or its sign-in ended. */
  sessionEnded(reason: SessionEndReason): void;
}

/** Why the gateway ended a session (a metric label: keep the set fixed). */
export const SESSION_END_REASONS = ['expired', 'ended'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** Which deadline an agent connection missed (a metric label: keep the set fixed). */
export const CONNECTION_TIMEOUT_STAGES = ['hello', 'sign_in'] as const;
export type ConnectionTimeoutStage = (typeof CONNECTION_TIMEOUT_STAGES)[number];

export interface WebhookMetrics {
  webhookHandled(platform: string, result: WebhookResult): void;
}

/** Request durations: a search takes about a millisecond, an action with a platform call up to seconds. */
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** The gateway's metrics, served at GET /metrics. */
export class GatewayMetrics implements ConnectionMetrics, WebhookMetrics, EdgeServerMetrics, CobrowseMetrics {
  readonly registry = new MetricsRegistry();
  private readonly connectionsAccepted = this.registry.register(
    new Counter('agent_desk_ws_connections_accepted_total', 'Agent websocket connections accepted.'),
  );
  private readonly framesReceived = this.registry.register(
    new Counter('agent_desk_ws_frames_received_total', 'Websocket frames received from agents.'),
  );
  private readonly framesSent = this.registry.register(
    new Counter('agent_desk_ws_frames_sent_total', 'Websocket frames sent to agents.'),
  );
  private readonly requests = this.registry.register(
    new Counter('agent_desk_requests_total', 'Requests answered, by method and outcome (OK or error code).', [
      'method',
      'outcome',
    ]),
  );
  private readonly requestSeconds = this.registry.register(
    new Histogram(
      'agent_desk_request_duration_seconds',
      'Time from request to response.',
      ['method'],
      DURATION_BUCKETS,
    ),
  );
  private readonly webhooks = this.registry.register(
    new Counter('agent_desk_webhooks_total', 'Platform webhook deliveries, by platform and result.', [
      'platform',
      'result',
    ]),
  );

  private readonly queueAnnouncements = this.registry.register(
    new Counter('agent_desk_queue_announcements_total', 'ACD/PBX queue announcements, by HTTP status.', [
      'status',
    ]),
  );

  // ---- edge: connection caps and timeouts (every label value listed, so each series starts at 0) ----
  private readonly connectionsRefused = this.registry.register(
    new Counter(
      'agent_desk_ws_connections_refused_total',
      'Websocket upgrades refused with 503, by the cap they were over (total_cap or address_cap).',
      ['reason'],
    ),
  );
  private readonly connectionTimeouts = this.registry.register(
    new Counter(
      'agent_desk_ws_timeouts_total',
      'Agent websockets closed for not saying hello or not signing in in time, by stage.',
      ['stage'],
    ),
  );
  private readonly httpTimeouts = this.registry.register(
    new Counter(
      'agent_desk_http_timeouts_total',
      'Connections cut for being too slow, by phase (tls_handshake, headers, request).',
      ['phase'],
    ),
  );
  // ---- end edge ----
  private readonly sessionsEnded = this.registry.register(
    new Counter(
      'agent_desk_sessions_ended_total',
      'Sessions the gateway ended on open connections: expired, or ended (signed out elsewhere, token reused, revoked, role changed).',
      ['reason'],
    ),
  );

  // ---- co-browse (every label value listed, so each series starts at 0) ----
  private readonly cobrowseRefused = this.registry.register(
    new Counter(
      'agent_desk_cobrowse_connections_refused_total',
      'Customer co-browse websockets refused before the handshake, by reason (origin; the caps count in agent_desk_ws_connections_refused_total).',
      ['reason'],
    ),
  );
  private readonly cobrowseCodes = this.registry.register(
    new Counter(
      'agent_desk_cobrowse_codes_total',
      'Co-browse codes customers asked for, by outcome (issued, address_waiting, address_rate, gateway_full).',
      ['outcome'],
    ),
  );
  private readonly cobrowseJoinsRefused = this.registry.register(
    new Counter(
      'agent_desk_cobrowse_codes_refused_total',
      'Agent joins refused: a wrong, used or expired code (wrong_code), or too many of them (rate_limited).',
      ['reason'],
    ),
  );
  private readonly cobrowseFrames = this.registry.register(
    new Counter('agent_desk_cobrowse_frames_relayed_total', 'Co-browse frames relayed, by direction.', [
      'direction',
    ]),
  );
  private readonly cobrowseBytes = this.registry.register(
    new Counter('agent_desk_cobrowse_bytes_relayed_total', 'Co-browse bytes relayed, by direction.', [
      'direction',
    ]),
  );
  private readonly cobrowseDropped = this.registry.register(
    new Counter(
      'agent_desk_cobrowse_events_dropped_total',
      "Snippet event frames not relayed: the agent's socket was behind (backpressure), the customer over its rate, or no view consent.",
      ['reason'],
    ),
  );
  private readonly cobrowseSessionsEnded = this.registry.register(
    new Counter('agent_desk_cobrowse_sessions_ended_total', 'Co-browse sessions ended, by reason.', [
      'reason',
    ]),
  );
  // ---- end co-browse ----

  /** `openConnections` is read at scrape time. */
  constructor(openConnections: () => number) {
    for (const reason of CONNECTION_REFUSALS) this.connectionsRefused.inc({ reason }, 0);
    for (const stage of CONNECTION_TIMEOUT_STAGES) this.connectionTimeouts.inc({ stage }, 0);
    for (const phase of HTTP_TIMEOUT_PHASES) this.httpTimeouts.inc({ phase }, 0);
    for (const reason of SESSION_END_REASONS) this.sessionsEnded.inc({ reason }, 0);
    this.cobrowseRefused.inc({ reason: 'origin' }, 0);
    for (const outcome of ['issued', ...CODE_REFUSALS]) this.cobrowseCodes.inc({ outcome }, 0);
    for (const reason of JOIN_REFUSALS) this.cobrowseJoinsRefused.inc({ reason }, 0);
    for (const direction of ['to_agent', 'to_customer']) {
      this.cobrowseFrames.inc({ direction }, 0);
      this.cobrowseBytes.inc({ direction }, 0);
    }
    for (const reason of EVENT_DROP_REASONS) this.cobrowseDropped.inc({ reason }, 0);
    for (const reason of COBROWSE_END_REASONS) this.cobrowseSessionsEnded.inc({ reason }, 0);
    this.registry.register(
      new Gauge('agent_desk_ws_connections_open', 'Agent websocket connections open.', openConnections),
    );
    this.registry.register(
      new Gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () =>
        process.memoryUsage.rss(),
      ),
    );
  }

  connectionAccepted(): void {
    this.connectionsAccepted.inc({});
  }

  frameReceived(): void {
    this.framesReceived.inc({});
  }

  frameSent(): void {
    this.framesSent.inc({});
  }

  requestCompleted(method: string, outcome: string, seconds: number): void {
    // Only known methods become label values: a client must not be able to grow the series.
    const label = isGatewayMethod(method) ? method : 'unknown';
    this.requests.inc({ method: label, outcome });
    this.requestSeconds.observe({ method: label }, seconds);
  }

  connectionRefused(reason: ConnectionRefusal): void {
    this.connectionsRefused.inc({ reason });
  }

  connectionTimedOut(stage: ConnectionTimeoutStage): void {
    this.connectionTimeouts.inc({ stage });
  }

  sessionEnded(reason: SessionEndReason): void {
    this.sessionsEnded.inc({ reason });
  }

  httpTimedOut(phase: HttpTimeoutPhase): void {
    this.httpTimeouts.inc({ phase });
  }

  webhookHandled(platform: string, result: WebhookResult): void {
    this.webhooks.inc({ platform, result });
  }

  /** `status` is the HTTP status answered: a small fixed set, so the series stay bounded. */
  queueAnnouncementHandled(status: number): void {
    this.queueAnnouncements.inc({ status: String(status) });
  }

  // ---- co-browse ----
  /** The co-browse gauges, read at scrape time (the rooms exist after the metrics). */
  watchCobrowse(read: { sessionsOpen: () => number; customersConnected: () => number }): void {
    this.registry.register(
      new Gauge(
        'agent_desk_cobrowse_sessions_open',
        'Co-browse sessions open (waiting for an agent, live or waiting for the customer to come back).',
        read.sessionsOpen,
      ),
    );
    this.registry.register(
      new Gauge(
        'agent_desk_cobrowse_customers_connected',
        'Customer co-browse websockets open.',
        read.customersConnected,
      ),
    );
  }

  customerRefused(reason: 'origin'): void {
    this.cobrowseRefused.inc({ reason });
  }

  codeRequested(outcome: 'issued' | CodeRefusal): void {
    this.cobrowseCodes.inc({ outcome });
  }

  joinRefused(reason: JoinRefusal): void {
    this.cobrowseJoinsRefused.inc({ reason });
  }

  relayed(direction: 'to_agent' | 'to_customer', bytes: number): void {
    this.cobrowseFrames.inc({ direction });
    this.cobrowseBytes.inc({ direction }, bytes);
  }

  eventsDropped(reason: EventDropReason): void {
    this.cobrowseDropped.inc({ reason });
  }

  cobrowseEnded(reason: CobrowseEndReason): void {
    this.cobrowseSessionsEnded.inc({ reason });
  }
  // ---- end co-browse ----

  render(): string {
    return this.registry.render();
  }
}
