import type { IncomingHttpHeaders } from 'node:http';
import type { Order } from '../../../shared/domain';

/** What one webhook delivery changes in the store. */
export type OrderWrite =
  /** A whole order as the platform has it now (created, updated, cancelled). */
  | { kind: 'snapshot'; order: Order }
  /** Part of an order (a refund, a fulfillment), applied to the stored order. */
  | { kind: 'partial'; orderId: string; apply: (current: Order) => Order };

/** How one platform signs, names and shapes its webhook deliveries. */
export interface PlatformWebhook {
  platform: 'shopify' | 'woocommerce';
  /** Header names, lower case (as Node presents them). */
  headers: { signature: string; topic: string; deliveryId: string };
  /**
   * What a verified delivery of `topic` changes; null for topics the gateway does not keep.
   * Throws BAD_REQUEST for a payload it cannot map.
   */
  interpret(topic: string, payload: unknown): OrderWrite | null;
  /** A delivery that only checks the endpoint exists (WooCommerce's ping); answered 200, stores nothing. */
  isPing?(body: Buffer, headers: IncomingHttpHeaders): boolean;
}
