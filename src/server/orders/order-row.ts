import type { Order, OrderSummary, Platform, OrderStatus } from '../../shared/domain';
import { platformToken, statusToken, weekNumber, weekToken } from './search-filter-tokens';

/** The orders table's columns for one order (everything but seq; the document is stored apart). */
export interface OrderRow {
  id: string;
  display_number: string;
  platform: Platform;
  platform_order_id: string;
  customer_id: string;
  customer_name: string;
  customer_name_key: string;
  customer_phone: string;
  /** The phone's digits, for exact lookups by whole number or last 4 digits. */
  phone_digits: string;
  status: OrderStatus;
  created_at: string;
  created_at_ms: number;
  total_amount: number;
  currency: string;
  item_count: number;
  first_item_title: string;
}

/** What the trigram index holds for one order: its text, and its filter values as tokens. */
export interface OrderSearchText {
  display_number: string;
  customer_name: string;
  phone_digits: string;
  item_titles: string;
  status_key: string;
  platform_key: string;
  created_key: string;
}

export type OrderSummaryRow = Pick<
  OrderRow,
  | 'id'
  | 'platform'
  | 'display_number'
  | 'status'
  | 'customer_name'
  | 'customer_phone'
  | 'total_amount'
  | 'currency'
  | 'item_count'
  | 'first_item_title'
  | 'created_at'
> & { seq: number };

export const ORDER_SUMMARY_COLUMNS = [
  'seq',
  'id',
  'platform',
  'display_number',
  'status',
  'customer_name',
  'customer_phone',
  'total_amount',
  'currency',
  'item_count',
  'first_item_title',
  'created_at',
] as const;

export function toOrderRow(order: Order): OrderRow {
  return {
    id: order.id,
    display_number: order.displayNumber,
    platform: order.platform,
    platform_order_id: order.platformOrderId,
    customer_id: order.customer.id,
    customer_name: order.customer.name,
    customer_name_key: order.customer.name.toLowerCase(),
    customer_phone: order.customer.phone,
    phone_digits: phoneDigits(order.customer.phone),
    status: order.status,
    created_at: order.createdAt,
    created_at_ms: Date.parse(order.createdAt),
    total_amount: order.payment.amount.amount,
    currency: order.payment.amount.currency,
    // Pieces, not lines: "3 items" on a card means what the customer will unpack.
    item_count: order.items.reduce((sum, item) => sum + item.qty, 0),
    first_item_title: order.items[0]?.title ?? '',
  };
}

export function toOrderSearchText(order: Order): OrderSearchText {
  return {
    display_number: order.displayNumber,
    customer_name: order.customer.name,
    phone_digits: phoneDigits(order.customer.phone),
    item_titles: order.items.map((item) => item.title).join('\n'),
    status_key: statusToken(order.status),
    platform_key: platformToken(order.platform),
    created_key: weekToken(weekNumber(Date.parse(order.createdAt))),
  };
}

/** '+86 138-1234-5678' -> '8613812345678': what agents type is matched against digits only. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

export function toOrderSummary(row: OrderSummaryRow): OrderSummary {
  return {
    id: row.id,
    platform: row.platform,
    displayNumber: row.display_number,
    status: row.status,
    customerName: row.customer_name,
    customerPhone: row.customer_phone,
    total: { amount: row.total_amount, currency: row.currency },
    itemCount: row.item_count,
    firstItemTitle: row.first_item_title,
    createdAt: row.created_at,
  };
}
