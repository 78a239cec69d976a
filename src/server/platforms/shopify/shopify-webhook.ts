import { invalidPayload } from '../money';
import { parsePlatformPayload } from '../platform-payload';
import type { OrderWrite, PlatformWebhook } from '../webhooks/platform-webhook';
import { mapShopifyOrder, shopifyOrderId } from './map-shopify-order';
import { ShopifyFulfillment, ShopifyRefund } from './shopify-payloads';
import { applyShopifyFulfillment, applyShopifyRefund } from './shopify-partial-updates';

/**
 * Shopify webhooks: the body is signed with the app's client secret (X-Shopify-Hmac-SHA256), and
 * X-Shopify-Webhook-Id stays the same when Shopify retries a delivery.
 */
export const shopifyWebhook: PlatformWebhook = {
  platform: 'shopify',
  headers: {
    signature: 'x-shopify-hmac-sha256',
    topic: 'x-shopify-topic',
    deliveryId: 'x-shopify-webhook-id',
  },
  interpret(topic, payload): OrderWrite | null {
    switch (topic) {
      case 'orders/create':
      case 'orders/updated':
      case 'orders/cancelled':
        return { kind: 'snapshot', order: mapShopifyOrder(payload) };
      case 'refunds/create': {
        const refund = parsePlatformPayload(ShopifyRefund, payload, 'Shopify refund');
        return {
          kind: 'partial',
          orderId: orderIdOf(refund.order_id),
          apply: (order) => applyShopifyRefund(order, refund),
        };
      }
      case 'fulfillments/create':
      case 'fulfillments/update': {
        const fulfillment = parsePlatformPayload(ShopifyFulfillment, payload, 'Shopify fulfillment');
        return {
          kind: 'partial',
          orderId: orderIdOf(fulfillment.order_id),
          apply: (order) => applyShopifyFulfillment(order, fulfillment),
        };
      }
      default:
        return null;
    }
  },
};

function orderIdOf(platformOrderId: string | null | undefined): string {
  if (!platformOrderId) throw invalidPayload('The payload has no order_id');
  return shopifyOrderId(platformOrderId);
}
