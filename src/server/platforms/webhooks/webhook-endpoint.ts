import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { DeskError } from '../../../shared/errors';
import { readBody } from '../../edge/read-body';
import type { OrderChanges } from '../../orders/order-changes';
import type { OrderStore } from '../../orders/order-store';
import type { AppliedSnapshots } from './applied-snapshots';
import { applyOrderWrite } from './apply-order-write';
import type { PlatformWebhook } from './platform-webhook';
import type { WebhookDeliveryLog } from './webhook-delivery-log';
import { isValidWebhookSignature } from './webhook-signature';

/** Order payloads are a few KB; a 1 MB cap leaves room for huge orders and bounds memory. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
const MAX_DELIVERY_ID_LENGTH = 200;

export type WebhookResult =
  | 'stored'
  | 'duplicate'
  /** An order snapshot older than the one applied: acknowledged, changes nothing. */
  | 'stale'
  | 'ignored'
  | 'ping'
  | 'unauthorized'
  | 'bad_request'
  | 'too_large'
  | 'method_not_allowed'
  | 'unknown_order'
  | 'in_progress'
  | 'error';

/** The HTTP answer to one delivery; a 2xx tells the platform not to retry. */
export interface WebhookOutcome {
  httpStatus: number;
  result: WebhookResult;
  body: Record<string, unknown>;
}

export interface WebhookEndpointDeps {
  webhook: PlatformWebhook;
  secret: string;
  orders: OrderStore;
  changes: OrderChanges;
  deliveries: WebhookDeliveryLog;
  snapshots: AppliedSnapshots;
  logger: Logger;
}

/**
 * One platform's webhook endpoint. Nothing is parsed, let alone stored, before the signature over
 * the raw body checks out; a delivery is recorded as applied only after its write committed, so a
 * failure is retried by the platform rather than lost.
 */
export class WebhookEndpoint {
  /** Deliveries being applied: a concurrent retry of one waits for the platform's next attempt. */
  private readonly inFlight = new Set<string>();

  constructor(private readonly deps: WebhookEndpointDeps) {}

  /** `from`: the client's address (the peer, or what a trusted proxy forwarded), for logs. */
  async receive(request: IncomingMessage, from: string): Promise<WebhookOutcome> {
    const { webhook, secret, logger } = this.deps;
    if (request.method !== 'POST') return failure(405, 'method_not_allowed', 'BAD_REQUEST', 'Use POST');

    const body = await readBody(request, MAX_WEBHOOK_BODY_BYTES);
    if (body === null) {
      return failure(413, 'too_large', 'BAD_REQUEST', `Body over ${MAX_WEBHOOK_BODY_BYTES} bytes`);
    }
    if (webhook.isPing?.(body, request.headers))
      return { httpStatus: 200, result: 'ping', body: { status: 'ok' } };

    if (!isValidWebhookSignature(secret, body, request.headers[webhook.headers.signature])) {
      logger.warn({ platform: webhook.platform, from }, 'webhook signature refused');
      return failure(401, 'unauthorized', 'UNAUTHENTICATED', 'Missing or invalid webhook signature');
    }

    const topic = singleHeader(request, webhook.headers.topic);
    if (!topic) return failure(400, 'bad_request', 'BAD_REQUEST', `Missing ${webhook.headers.topic} header`);
    const deliveryId = singleHeader(request, webhook.headers.deliveryId);
    if (deliveryId && deliveryId.length > MAX_DELIVERY_ID_LENGTH) {
      return failure(400, 'bad_request', 'BAD_REQUEST', `${webhook.headers.deliveryId} is too long`);
    }
    if (!deliveryId) return this.apply(topic, body, null);

    if (this.inFlight.has(deliveryId)) {
      return failure(409, 'in_progress', 'BAD_REQUEST', 'This delivery is being applied: retry later');
    }
    if (await this.deps.deliveries.has(webhook.platform, deliveryId)) {
      return { httpStatus: 200, result: 'duplicate', body: { status: 'duplicate' } };
    }
    this.inFlight.add(deliveryId);
    try {
      return await this.apply(topic, body, deliveryId);
    } finally {
      this.inFlight.delete(deliveryId);
    }
  }

  private async apply(topic: string, body: Buffer, deliveryId: string | null): Promise<WebhookOutcome> {
    const { webhook, logger } = this.deps;
    try {
      const write = webhook.interpret(topic, parseJson(body));
      if (write === null) return { httpStatus: 200, result: 'ignored', body: { status: 'ignored', topic } };
      const outcome = await applyOrderWrite(write, this.deps, {
        source: 'webhook',
        actor: webhook.platform,
        action: topic,
      });
      // Recorded either way: a retry of a stale delivery is a duplicate, not stale work again.
      if (deliveryId) await this.deps.deliveries.record(webhook.platform, deliveryId, topic);
      if (!outcome.applied) {
        const { orderId, snapshotAt, newerAppliedAt } = outcome;
        logger.info(
          { platform: webhook.platform, topic, orderId, snapshotAt, newerAppliedAt },
          'webhook snapshot older than the one applied: ignored',
        );
        return { httpStatus: 200, result: 'stale', body: { status: 'stale', orderId } };
      }
      const { order } = outcome.change;
      logger.info(
        { platform: webhook.platform, topic, orderId: order.id, version: order.version },
        'webhook stored',
      );
      return {
        httpStatus: 200,
        result: 'stored',
        body: { status: 'stored', orderId: order.id, version: order.version },
      };
    } catch (err) {
      if (err instanceof DeskError && err.code === 'BAD_REQUEST') {
        logger.warn({ platform: webhook.platform, topic, reason: err.message }, 'webhook payload refused');
        return failure(400, 'bad_request', err.code, err.message);
      }
      if (err instanceof DeskError && err.code === 'NOT_FOUND') {
        // A refund or fulfillment that overtook its order: the platform's retry will find it.
        return failure(409, 'unknown_order', err.code, err.message);
      }
      logger.error({ err, platform: webhook.platform, topic }, 'webhook failed');
      return failure(500, 'error', 'INTERNAL', 'Internal gateway error');
    }
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new DeskError('BAD_REQUEST', 'The body is not JSON');
  }
}

function singleHeader(request: IncomingMessage, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function failure(httpStatus: number, result: WebhookResult, code: string, message: string): WebhookOutcome {
  return { httpStatus, result, body: { error: { code, message } } };
}
