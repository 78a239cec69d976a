import { webhookSignature } from '../../../../src/server/platforms/webhooks/webhook-signature';

export const SHOPIFY_TEST_SECRET = 'shpss_test_0f3c9a7e21b84d56';
export const WOOCOMMERCE_TEST_SECRET = 'wc-webhook-secret-5b2e81';

let deliveries = 0;

/** Headers of a Shopify webhook delivery, signed with `secret` (the test secret by default). */
export function shopifyHeaders(
  body: string,
  topic: string,
  options: { webhookId?: string; secret?: string } = {},
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-hmac-sha256': webhookSignature(options.secret ?? SHOPIFY_TEST_SECRET, Buffer.from(body)),
    'x-shopify-shop-domain': 'northwind-demo.myshopify.com',
    'x-shopify-api-version': '2025-10',
    'x-shopify-webhook-id':
      options.webhookId ?? `b54557e4-0000-4000-8000-${String((deliveries += 1)).padStart(12, '0')}`,
    'x-shopify-triggered-at': new Date().toISOString(),
  };
}

/** Headers of a WooCommerce webhook delivery, signed with `secret` (the test secret by default). */
export function wooCommerceHeaders(
  body: string,
  topic: string,
  options: { secret?: string } = {},
): Record<string, string> {
  const [resource, event] = topic.split('.');
  return {
    'content-type': 'application/json',
    'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
    'x-wc-webhook-source': 'https://shop.example.com/',
    'x-wc-webhook-topic': topic,
    'x-wc-webhook-resource': resource ?? '',
    'x-wc-webhook-event': event ?? '',
    'x-wc-webhook-signature': webhookSignature(options.secret ?? WOOCOMMERCE_TEST_SECRET, Buffer.from(body)),
    'x-wc-webhook-id': '14',
    'x-wc-webhook-delivery-id': String((deliveries += 1)),
  };
}

export async function postWebhook(
  baseUrl: string,
  platform: 'shopify' | 'woocommerce',
  body: string | Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/webhooks/${platform}`, { method: 'POST', body, headers });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}
