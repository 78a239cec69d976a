import { OrderStatus, type PaymentStatus } from '../../../shared/domain';
import type { WooOrder } from './woocommerce-payloads';

/**
 * WooCommerce order status -> lifecycle status. WooCommerce has one status for payment and
 * fulfilment together; 'completed' means fulfilled and done.
 *
 * | WooCommerce     | status          | why                                               |
 * |-----------------|-----------------|---------------------------------------------------|
 * | pending         | pending_payment | order placed, no payment yet                      |
 * | on-hold         | pending_payment | awaiting a manual payment (bank transfer, cheque) |
 * | failed          | pending_payment | payment failed or declined; the customer may retry|
 * | checkout-draft  | pending_payment | block checkout still in progress                  |
 * | processing      | paid            | paid, waiting to be fulfilled                     |
 * | completed       | completed       | fulfilled                                         |
 * | cancelled, trash| cancelled       |                                                   |
 * | refunded        | refunded        | fully refunded                                    |
 *
 * A plugin status that is one of ours ('shipped', 'delivered', ...) is taken as is; any other
 * one is 'paid' once a payment date is set, else 'pending_payment'.
 */
export const WOOCOMMERCE_ORDER_STATUSES: Readonly<Record<string, OrderStatus>> = {
  pending: 'pending_payment',
  'on-hold': 'pending_payment',
  failed: 'pending_payment',
  'checkout-draft': 'pending_payment',
  processing: 'paid',
  completed: 'completed',
  cancelled: 'cancelled',
  trash: 'cancelled',
  refunded: 'refunded',
};

export function wooOrderStatus(order: WooOrder): OrderStatus {
  const mapped = WOOCOMMERCE_ORDER_STATUSES[order.status];
  if (mapped) return mapped;
  const own = OrderStatus.safeParse(order.status);
  if (own.success) return own.data;
  return order.date_paid_gmt ? 'paid' : 'pending_payment';
}

/** WooCommerce keeps no payment status: it follows from the order status, refunds and paid date. */
export function wooPaymentStatus(order: WooOrder): PaymentStatus {
  if (order.status === 'refunded') return 'refunded';
  if (order.status === 'failed') return 'failed';
  if ((order.refunds ?? []).length > 0) return 'partially_refunded';
  return order.date_paid_gmt ? 'paid' : 'pending';
}
