import type { VisibleOrder as Order, VisibleOrderSummary as OrderSummary } from '../../../shared/visibility';

/** The search-result row of an order, stored sealed beside the document so a page of 50 never parses 50 documents. */
export function summarizeOrder(order: Order): OrderSummary {
  return {
    id: order.id,
    platform: order.platform,
    displayNumber: order.displayNumber,
    status: order.status,
    customerName: order.customer.name,
    customerPhone: order.customer.phone,
    total: order.payment.amount,
    // Pieces, not lines, as on the gateway's cards.
    itemCount: order.items.reduce((sum, item) => sum + item.qty, 0),
    firstItemTitle: order.items[0]?.title ?? '',
    createdAt: order.createdAt,
  };
}
