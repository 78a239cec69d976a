/**
 * Webhook deliveries already applied, by the platform's delivery id, so that a platform's retry
 * of a delivery that did arrive changes nothing. Async so that a PostgreSQL implementation can
 * replace the SQLite one.
 */
export interface WebhookDeliveryLog {
  has(platform: string, deliveryId: string): Promise<boolean>;
  /** Records an applied delivery; forgets those older than the retention period. */
  record(platform: string, deliveryId: string, topic: string): Promise<void>;
}

/** Platforms retry a failed delivery for up to 48 hours (Shopify); a week leaves a margin. */
export const WEBHOOK_DELIVERY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
