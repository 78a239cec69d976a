import { createHmac, timingSafeEqual } from 'node:crypto';

/** What Shopify and WooCommerce both send: base64 of the HMAC-SHA256 of the raw body. */
export function webhookSignature(secret: string, body: Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/**
 * Whether `header` is the body's signature under `secret`, compared in constant time. Compared as
 * text: base64 decoding skips stray characters, which would accept altered signatures.
 */
export function isValidWebhookSignature(
  secret: string,
  body: Buffer,
  header: string | string[] | undefined,
): boolean {
  // A repeated header arrives as an array: no single signature to check.
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(webhookSignature(secret, body), 'utf8');
  const actual = Buffer.from(header.trim(), 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
