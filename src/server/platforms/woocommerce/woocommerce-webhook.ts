import type { OrderWrite, PlatformWebhook } from '../webhooks/platform-webhook';
import { mapWooOrder } from './map-woocommerce-order';

/** WooCommerce's delivery check when a webhook is saved: a form post, unsigned, of `webhook_id=N`. */
const PING_BODY = /^webhook_id=\d+$/;

/**
 * WooCommerce webhooks: the body is signed with the webhook's secret (X-WC-Webhook-Signature).
 * X-WC-Webhook-Delivery-ID names the delivery; a resend gets a new one, and the full-order
 * payload makes applying the same change twice harmless.
 */
export const wooCommerceWebhook: PlatformWebhook = {
  platform: 'woocommerce',
  headers: {
    signature: 'x-wc-webhook-signature',
    topic: 'x-wc-webhook-topic',
    deliveryId: 'x-wc-webhook-delivery-id',
  },
  interpret(topic, payload): OrderWrite | null {
    if (topic === 'order.created' || topic === 'order.updated') {
      return { kind: 'snapshot', order: mapWooOrder(payload) };
    }
    return null;
  },
  isPing(body, headers) {
    return headers['x-wc-webhook-signature'] === undefined && PING_BODY.test(body.toString('utf8'));
  },
};
