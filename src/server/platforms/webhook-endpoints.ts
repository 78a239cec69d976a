import type { Logger } from 'pino';
import type { SqliteDatabase } from '../db/open-database';
import type { OrderChanges } from '../orders/order-changes';
import type { OrderStore } from '../orders/order-store';
import { shopifyWebhook } from './shopify/shopify-webhook';
import { SqliteAppliedSnapshots } from './webhooks/sqlite-applied-snapshots';
import { SqliteWebhookDeliveryLog } from './webhooks/sqlite-webhook-delivery-log';
import { WebhookEndpoint } from './webhooks/webhook-endpoint';
import { wooCommerceWebhook } from './woocommerce/woocommerce-webhook';

/** Webhook secrets per platform; a platform without one has no endpoint (404). */
export interface PlatformSecrets {
  shopify?: { secret: string };
  woocommerce?: { secret: string };
}

export type WebhookPlatform = keyof PlatformSecrets;

/** The webhook endpoint of every platform that has a secret. */
export function createWebhookEndpoints(
  secrets: PlatformSecrets,
  deps: { db: SqliteDatabase; orders: OrderStore; changes: OrderChanges; logger: Logger },
): Map<WebhookPlatform, WebhookEndpoint> {
  const deliveries = new SqliteWebhookDeliveryLog(deps.db);
  const snapshots = new SqliteAppliedSnapshots(deps.db);
  const endpoints = new Map<WebhookPlatform, WebhookEndpoint>();
  for (const webhook of [shopifyWebhook, wooCommerceWebhook]) {
    const secret = secrets[webhook.platform]?.secret;
    // An empty secret would make every signature computable by anyone.
    if (!secret) continue;
    endpoints.set(
      webhook.platform,
      new WebhookEndpoint({
        webhook,
        secret,
        orders: deps.orders,
        changes: deps.changes,
        deliveries,
        snapshots,
        logger: deps.logger.child({ component: 'webhooks', platform: webhook.platform }),
      }),
    );
  }
  return endpoints;
}
