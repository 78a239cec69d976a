import type { AfterSalesCase, CustomerRef, Money, Order, OrderItem, Promotion } from '../../../shared/domain';
import { parseCurrency, parseMoney, parseOptionalMoney } from '../money';
import { timelineFromSnapshot } from '../order-timeline';
import { personName } from '../person-name';
import { normalisePhone } from '../phone-number';
import { checkedOrder, parsePlatformPayload } from '../platform-payload';
import { toAddress } from '../postal-address';
import { toUtcIso, toUtcIsoOrNull } from '../timestamps';
import { WooOrder, type WooAddress, type WooLineItem } from './woocommerce-payloads';
import { wooOrderStatus, wooPaymentStatus } from './woocommerce-status';

export const WOOCOMMERCE_ACTOR = 'woocommerce';

export function wooOrderId(platformOrderId: string): string {
  return `ord_wc_${platformOrderId}`;
}

/**
 * `WC-` and WooCommerce's order number ('1234' -> 'WC-1234'): the number on the customer's
 * confirmation e-mail, which is the id unless a numbering plugin changed it.
 */
export function wooDisplayNumber(order: Pick<WooOrder, 'id' | 'number'>): string {
  const number = String(order.number ?? '').trim();
  return `WC-${number === '' ? order.id : number}`;
}

/** A WooCommerce REST API v3 order (the order.* webhook body) in the normalised model; version 0. */
export function mapWooOrder(payload: unknown): Order {
  const order = parsePlatformPayload(WooOrder, payload, 'WooCommerce order');
  const currency = parseCurrency(order.currency);
  // WooCommerce's *_gmt fields are UTC; the ones without the suffix are in the shop's time zone.
  const createdAt = toUtcIso(order.date_created_gmt, 'date_created_gmt');
  const updatedAt = toUtcIsoOrNull(order.date_modified_gmt, 'date_modified_gmt') ?? createdAt;
  const paidAt = toUtcIsoOrNull(order.date_paid_gmt, 'date_paid_gmt');
  const completedAt = toUtcIsoOrNull(order.date_completed_gmt, 'date_completed_gmt');
  const status = wooOrderStatus(order);
  const customer = toCustomer(order);

  return checkedOrder({
    id: wooOrderId(order.id),
    platform: 'woocommerce',
    platformOrderId: order.id,
    displayNumber: wooDisplayNumber(order),
    customer,
    status,
    payment: {
      method: order.payment_method_title?.trim() || order.payment_method?.trim() || 'unknown',
      amount: parseMoney(order.total, currency),
      status: wooPaymentStatus(order),
      paidAt,
    },
    items: order.line_items.filter((line) => line.quantity > 0).map((line) => toItem(line, currency)),
    shippingFee: parseOptionalMoney(order.shipping_total, currency),
    shippingAddress: toShippingAddress(order, customer.name),
    // Core WooCommerce has no shipment tracking; shipments come from agents or other sources.
    shipments: [],
    afterSales: (order.refunds ?? []).map((refund): AfterSalesCase => {
      const total = parseMoney(refund.total, currency);
      return {
        id: `ref_wc_${refund.id}`,
        kind: 'refund',
        status: 'completed',
        // Refunds are negative order totals in WooCommerce.
        amount: { amount: Math.abs(total.amount), currency },
        reason: refund.reason?.trim() ?? '',
        // The order lists refunds without their dates: the order's last change is the best bound.
        createdAt: updatedAt,
      };
    }),
    promotions: (order.coupon_lines ?? []).map((coupon): Promotion => ({
      code: coupon.code,
      rule: coupon.discount_type?.trim() || 'coupon',
      discount: parseMoney(coupon.discount, currency),
    })),
    riskFlags: order.status === 'failed' ? [{ kind: 'payment_failed', at: updatedAt }] : [],
    timeline: timelineFromSnapshot(
      [
        { at: createdAt, status: 'pending_payment' },
        { at: paidAt, status: 'paid' },
        { at: completedAt, status: 'completed' },
      ],
      status,
      updatedAt,
      WOOCOMMERCE_ACTOR,
    ),
    notes: [],
    createdAt,
    updatedAt,
    version: 0,
  });
}

function toCustomer(order: WooOrder): CustomerRef {
  const billing = order.billing;
  const shipping = order.shipping;
  const email = billing?.email?.trim() ?? '';
  return {
    // Guests (customer_id 0) have no account: the order stands for its customer.
    id: order.customer_id ? `cus_wc_${order.customer_id}` : `cus_wc_order_${order.id}`,
    name:
      addressName(billing) ||
      addressName(shipping) ||
      billing?.company?.trim() ||
      shipping?.company?.trim() ||
      email,
    phone: normalisePhone(billing?.phone || shipping?.phone, billing?.country || shipping?.country),
    email,
  };
}

/** The shipping address, or the billing one when the order ships nothing (no address line). */
function toShippingAddress(order: WooOrder, customerName: string) {
  const useShipping = Boolean(order.shipping?.address_1?.trim());
  const address = (useShipping ? order.shipping : order.billing) ?? {};
  return toAddress({
    name: addressName(address) || customerName,
    phone: address.phone || order.billing?.phone,
    line1: address.address_1,
    line2: address.address_2,
    city: address.city,
    region: address.state,
    postalCode: address.postcode,
    country: address.country || order.billing?.country,
  });
}

function addressName(address: Partial<WooAddress> | null | undefined): string {
  return address ? personName(address.first_name, address.last_name) : '';
}

function toItem(line: WooLineItem, currency: string): OrderItem {
  const productId = line.variation_id && line.variation_id !== '0' ? line.variation_id : line.product_id;
  return {
    sku: line.sku?.trim() || `WC-PRODUCT-${productId ?? 'ITEM'}`,
    title: line.name,
    // Line items carry no product category; reading it would take a product API call per line.
    category: 'uncategorized',
    qty: line.quantity,
    unitPrice: unitPrice(parseMoney(line.subtotal, currency), line.quantity),
    returnable: true,
  };
}

/** The line subtotal per piece, in whole minor units (a subtotal not divisible by qty rounds). */
function unitPrice(subtotal: Money, quantity: number): Money {
  return { amount: Math.round(subtotal.amount / quantity), currency: subtotal.currency };
}
