import type {
  AfterSalesCase,
  CustomerRef,
  Money,
  Order,
  OrderItem,
  PaymentStatus,
  Promotion,
  Shipment,
} from '../../../shared/domain';
import { parseCurrency, parseMoney, parseOptionalMoney } from '../money';
import { timelineFromSnapshot } from '../order-timeline';
import { personName } from '../person-name';
import { normalisePhone } from '../phone-number';
import { checkedOrder, parsePlatformPayload } from '../platform-payload';
import { toAddress } from '../postal-address';
import { toUtcIso, toUtcIsoOrNull } from '../timestamps';
import {
  ShopifyOrder,
  type ShopifyAddress,
  type ShopifyFulfillment,
  type ShopifyLineItem,
  type ShopifyRefund,
} from './shopify-payloads';
import {
  SHOPIFY_PAYMENT_STATUSES,
  SHOPIFY_SHIPMENT_STATUSES,
  SHOPIFY_VOID_FULFILLMENT_STATUSES,
  shopifyOrderStatus,
} from './shopify-status';

const COLLECTED_PAYMENT_STATUSES: ReadonlySet<PaymentStatus> = new Set([
  'paid',
  'partially_refunded',
  'refunded',
]);

/** The actor recorded on timeline entries and events that Shopify caused. */
export const SHOPIFY_ACTOR = 'shopify';

export function shopifyOrderId(platformOrderId: string): string {
  return `ord_sh_${platformOrderId}`;
}

/**
 * The number agents and customers use: `SH-` and Shopify's `order_number`, the integer inside the
 * order name ('#1001' -> 'SH-1001'). Unique per shop, so one gateway serves one Shopify shop; the
 * prefix keeps it apart from WooCommerce's numbers, and the digits are what a customer reads out.
 */
export function shopifyDisplayNumber(order: Pick<ShopifyOrder, 'id' | 'name' | 'order_number'>): string {
  const number = order.order_number ?? /\d+/.exec(order.name ?? '')?.[0] ?? order.id;
  return `SH-${number}`;
}

/** A Shopify Admin API order (the orders/* webhook body) in the normalised model; version 0. */
export function mapShopifyOrder(payload: unknown): Order {
  const order = parsePlatformPayload(ShopifyOrder, payload, 'Shopify order');
  const currency = parseCurrency(order.currency);
  const createdAt = toUtcIso(order.created_at, 'created_at');
  const updatedAt = toUtcIsoOrNull(order.updated_at, 'updated_at') ?? createdAt;
  const shipments = (order.fulfillments ?? []).flatMap((fulfillment) => toShopifyShipment(fulfillment) ?? []);
  const status = shopifyOrderStatus(order, shipments);
  const paymentStatus = SHOPIFY_PAYMENT_STATUSES[order.financial_status ?? ''] ?? 'pending';
  const paidAt = COLLECTED_PAYMENT_STATUSES.has(paymentStatus)
    ? (toUtcIsoOrNull(order.processed_at, 'processed_at') ?? createdAt)
    : null;
  const cancelledAt = toUtcIsoOrNull(order.cancelled_at, 'cancelled_at');
  const customer = toCustomer(order);
  const address = order.shipping_address ?? order.billing_address ?? order.customer?.default_address;

  return checkedOrder({
    id: shopifyOrderId(order.id),
    platform: 'shopify',
    platformOrderId: order.id,
    displayNumber: shopifyDisplayNumber(order),
    customer,
    status,
    payment: {
      method: order.payment_gateway_names?.[0] ?? order.gateway ?? 'unknown',
      amount: parseMoney(order.total_price, currency),
      status: paymentStatus,
      paidAt,
    },
    items: order.line_items.filter((line) => line.quantity > 0).map((line) => toItem(line, currency)),
    shippingFee: shippingFee(order, currency),
    shippingAddress: address ? toShopifyAddress(address, customer.name) : toAddress({ name: customer.name }),
    shipments,
    afterSales: (order.refunds ?? []).map((refund) => toShopifyRefundCase(refund, currency)),
    promotions: toPromotions(order, currency),
    riskFlags: [],
    timeline: timelineFromSnapshot(
      [
        { at: createdAt, status: 'pending_payment' },
        { at: paidAt, status: 'paid' },
        { at: status === 'cancelled' ? cancelledAt : null, status: 'cancelled' },
      ],
      status,
      updatedAt,
      SHOPIFY_ACTOR,
    ),
    notes: [],
    createdAt,
    updatedAt,
    version: 0,
  });
}

/** A fulfillment as a shipment; null for one that was cancelled or failed (nothing travels). */
export function toShopifyShipment(fulfillment: ShopifyFulfillment): Shipment | null {
  if (SHOPIFY_VOID_FULFILLMENT_STATUSES.has(fulfillment.status ?? '')) return null;
  const tracking = fulfillment.shipment_status ?? '';
  const status = SHOPIFY_SHIPMENT_STATUSES[tracking] ?? 'label_created';
  const at = toUtcIso(fulfillment.updated_at ?? fulfillment.created_at, 'fulfillment updated_at');
  return {
    id: `ful_sh_${fulfillment.id}`,
    carrier: fulfillment.tracking_company?.trim() || 'unknown',
    trackingNumber: fulfillment.tracking_number ?? fulfillment.tracking_numbers?.[0] ?? '',
    status,
    // Shopify sends the latest tracking state only; merging keeps the earlier ones as history.
    events: [{ at, status, description: `Shopify shipment status: ${tracking || 'fulfilled'}` }],
  };
}

/**
 * A refund as a refund case: completed, or approved while a refund transaction is pending. The
 * amount is what its successful transactions moved; a refund recorded without a transaction
 * (e.g. restock only) counts its line subtotals.
 */
export function toShopifyRefundCase(refund: ShopifyRefund, currency: string): AfterSalesCase {
  const transactions = (refund.transactions ?? []).filter((transaction) => transaction.kind === 'refund');
  const moved = transactions.filter((transaction) => transaction.status === 'success');
  const lines = (refund.refund_line_items ?? []).filter((line) => line.quantity > 0);
  const amounts =
    transactions.length > 0
      ? moved.map((transaction) => parseMoney(transaction.amount, currency))
      : lines.map((line) => parseOptionalMoney(line.subtotal, currency));
  const pending = transactions.some((transaction) => transaction.status === 'pending');
  const items = lines.flatMap((line) =>
    line.line_item ? [{ sku: shopifySku(line.line_item), qty: line.quantity }] : [],
  );
  return {
    id: `ref_sh_${refund.id}`,
    kind: 'refund',
    status: pending ? 'approved' : 'completed',
    amount: sumMoney(amounts, currency),
    ...(items.length > 0 ? { items } : {}),
    reason: refund.note?.trim() ?? '',
    createdAt: toUtcIso(refund.created_at, 'refund created_at'),
  };
}

/** The line's SKU; lines of products without one get a stable stand-in from the variant. */
function shopifySku(line: Pick<ShopifyLineItem, 'sku' | 'variant_id' | 'product_id' | 'id'>): string {
  return line.sku?.trim() || `SHOPIFY-${line.variant_id ?? line.product_id ?? line.id ?? 'ITEM'}`;
}

function toCustomer(order: ShopifyOrder): CustomerRef {
  const { customer } = order;
  const address = order.shipping_address ?? order.billing_address ?? customer?.default_address;
  const email = order.email?.trim() || customer?.email?.trim() || '';
  const name =
    personName(customer?.first_name, customer?.last_name) || (address && addressName(address)) || email;
  const phone = order.phone || customer?.phone || address?.phone || order.billing_address?.phone;
  return {
    // Guests have no customer record: the order stands for its customer.
    id: customer?.id ? `cus_sh_${customer.id}` : `cus_sh_order_${order.id}`,
    name,
    phone: normalisePhone(phone, address?.country_code ?? order.billing_address?.country_code),
    email,
  };
}

function toShopifyAddress(address: ShopifyAddress, customerName: string) {
  return toAddress({
    name: addressName(address) || customerName,
    phone: address.phone,
    line1: address.address1,
    line2: address.address2,
    city: address.city,
    region: address.province_code || address.province,
    postalCode: address.zip,
    country: address.country_code,
  });
}

function addressName(address: ShopifyAddress): string {
  return address.name?.trim() || personName(address.first_name, address.last_name);
}

function toItem(line: ShopifyLineItem, currency: string): OrderItem {
  return {
    sku: shopifySku(line),
    title: line.title,
    category: line.product_type?.trim() || 'uncategorized',
    qty: line.quantity,
    unitPrice: parseMoney(line.price, currency),
    // Gift cards are money, not goods: nothing to send back.
    returnable: line.gift_card !== true,
  };
}

function shippingFee(order: ShopifyOrder, currency: string): Money {
  const total = order.total_shipping_price_set?.shop_money.amount;
  if (total !== undefined) return parseMoney(total, currency);
  return sumMoney(
    (order.shipping_lines ?? []).map((line) => parseMoney(line.price, currency)),
    currency,
  );
}

/**
 * Discount codes with their amounts, then automatic/manual/script discounts, whose amounts are
 * only in the allocations of the lines they came off (keyed by the application's index).
 */
function toPromotions(order: ShopifyOrder, currency: string): Promotion[] {
  const applications = order.discount_applications ?? [];
  const codes = (order.discount_codes ?? []).map((discount): Promotion => {
    const application = applications.find(
      (entry) => entry.type === 'discount_code' && entry.code === discount.code,
    );
    return {
      code: discount.code,
      rule:
        application?.title ||
        application?.description ||
        describeDiscount(application, discount.type, currency),
      discount: parseMoney(discount.amount, currency),
      ...(discount.type === 'shipping' || application?.target_type === 'shipping_line'
        ? { appliesTo: 'shipping' as const }
        : {}),
    };
  });
  const allocations = [...order.line_items, ...(order.shipping_lines ?? [])].flatMap(
    (line) => line.discount_allocations ?? [],
  );
  const automatic = applications.flatMap((application, index): Promotion[] => {
    if (application.type === 'discount_code') return [];
    const discount = sumMoney(
      allocations
        .filter((allocation) => allocation.discount_application_index === index)
        .map((allocation) => parseMoney(allocation.amount, currency)),
      currency,
    );
    if (discount.amount === 0) return [];
    return [
      {
        rule: application.title || application.description || application.type || 'discount',
        discount,
        ...(application.target_type === 'shipping_line' ? { appliesTo: 'shipping' as const } : {}),
      },
    ];
  });
  return [...codes, ...automatic];
}

/** Words for a code's discount when the shop gave it no title: '10% off', '5.00 USD off'. */
function describeDiscount(
  application:
    { value?: string | number | null; value_type?: string | null; target_type?: string | null } | undefined,
  type: string | null | undefined,
  currency: string,
): string {
  if (type === 'shipping' || application?.target_type === 'shipping_line') return 'Shipping discount';
  const value = application?.value;
  if (value !== undefined && value !== null && application?.value_type === 'percentage')
    return `${Number(value)}% off`;
  if (value !== undefined && value !== null && application?.value_type === 'fixed_amount')
    return `${value} ${currency} off`;
  return type || 'Discount code';
}

function sumMoney(amounts: readonly Money[], currency: string): Money {
  return { amount: amounts.reduce((sum, money) => sum + money.amount, 0), currency };
}
