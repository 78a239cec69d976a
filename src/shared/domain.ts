import { z } from 'zod';

/**
 * The normalised order model every shop platform is mapped into.
 * Money is always integer minor units plus an ISO 4217 currency, never a float.
 */

export const IsoDateTime = z.iso.datetime({ offset: true });

export const Money = z.object({
  amount: z.number().int(),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
export type Money = z.infer<typeof Money>;

export const PLATFORMS = ['shopify', 'woocommerce', 'demo'] as const;
export const Platform = z.enum(PLATFORMS);
export type Platform = z.infer<typeof Platform>;

export const ORDER_STATUSES = [
  'pending_payment',
  'paid',
  'fulfilling',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunding',
  'refunded',
  'closed',
] as const;
export const OrderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const PaymentStatus = z.enum([
  'pending',
  'authorized',
  'paid',
  'failed',
  'partially_refunded',
  'refunded',
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

export const Payment = z.object({
  method: z.string().min(1),
  amount: Money,
  status: PaymentStatus,
  paidAt: IsoDateTime.nullable(),
});
export type Payment = z.infer<typeof Payment>;

export const OrderItem = z.object({
  sku: z.string().min(1),
  title: z.string().min(1),
  category: z.string().min(1),
  qty: z.number().int().positive(),
  unitPrice: Money,
  returnable: z.boolean(),
});
export type OrderItem = z.infer<typeof OrderItem>;

export const Address = z.object({
  name: z.string(),
  phone: z.string(),
  line1: z.string(),
  line2: z.string().optional(),
  city: z.string(),
  region: z.string(),
  postalCode: z.string(),
  country: z.string().regex(/^[A-Z]{2}$/),
});
export type Address = z.infer<typeof Address>;

export const ShipmentStatus = z.enum([
  'label_created',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned',
]);
export type ShipmentStatus = z.infer<typeof ShipmentStatus>;

export const ShipmentEvent = z.object({
  at: IsoDateTime,
  status: ShipmentStatus,
  location: z.string().optional(),
  description: z.string(),
});
export type ShipmentEvent = z.infer<typeof ShipmentEvent>;

export const Shipment = z.object({
  id: z.string(),
  carrier: z.string(),
  trackingNumber: z.string(),
  status: ShipmentStatus,
  events: z.array(ShipmentEvent),
});
export type Shipment = z.infer<typeof Shipment>;

export const AfterSalesCase = z.object({
  id: z.string(),
  kind: z.enum(['return', 'exchange', 'refund']),
  status: z.enum(['open', 'approved', 'in_transit', 'received', 'completed', 'rejected', 'cancelled']),
  rma: z.string().optional(),
  returnTrackingNumber: z.string().optional(),
  amount: Money.optional(),
  /**
   * The units the case covers, when known (cases opened in Agent Desk record them): the rules
   * use them to stop the same unit being returned or refunded twice.
   */
  items: z
    .array(
      z.object({ sku: z.string(), qty: z.number().int().positive(), replacementSku: z.string().optional() }),
    )
    .optional(),
  reason: z.string(),
  createdAt: IsoDateTime,
});
export type AfterSalesCase = z.infer<typeof AfterSalesCase>;

export const Promotion = z.object({
  code: z.string().optional(),
  rule: z.string(),
  discount: Money,
  /** What the discount was taken off: absent means the items (a free-shipping coupon: 'shipping'). */
  appliesTo: z.enum(['items', 'shipping']).optional(),
});
export type Promotion = z.infer<typeof Promotion>;

export const RISK_FLAG_KINDS = [
  'fraud_suspect',
  'address_changed_after_payment',
  'payment_retry',
  'payment_failed',
  'unpaid_too_long',
  'logistics_stalled',
] as const;
export const RiskFlag = z.object({
  kind: z.enum(RISK_FLAG_KINDS),
  at: IsoDateTime,
  note: z.string().optional(),
});
export type RiskFlag = z.infer<typeof RiskFlag>;

export const TimelineEntry = z.object({
  at: IsoDateTime,
  status: OrderStatus,
  actor: z.string(),
  note: z.string().optional(),
  /** The call during which an agent made this change (its SIP Call-ID). */
  interactionId: z.string().optional(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const OrderNote = z.object({
  at: IsoDateTime,
  author: z.string(),
  text: z.string(),
  /** The call during which the note was written (its SIP Call-ID). */
  interactionId: z.string().optional(),
});
export type OrderNote = z.infer<typeof OrderNote>;

export const CustomerRef = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string(),
  email: z.string(),
});
export type CustomerRef = z.infer<typeof CustomerRef>;

export const Order = z.object({
  id: z.string(),
  platform: Platform,
  platformOrderId: z.string(),
  displayNumber: z.string(),
  customer: CustomerRef,
  status: OrderStatus,
  payment: Payment,
  items: z.array(OrderItem),
  shippingFee: Money,
  shippingAddress: Address,
  shipments: z.array(Shipment),
  afterSales: z.array(AfterSalesCase),
  promotions: z.array(Promotion),
  riskFlags: z.array(RiskFlag),
  timeline: z.array(TimelineEntry),
  notes: z.array(OrderNote),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  version: z.number().int().nonnegative(),
});
export type Order = z.infer<typeof Order>;

/** What a search result row needs: small enough to send 50 at a time. */
export const OrderSummary = z.object({
  id: z.string(),
  platform: Platform,
  displayNumber: z.string(),
  status: OrderStatus,
  customerName: z.string(),
  customerPhone: z.string(),
  total: Money,
  itemCount: z.number().int().nonnegative(),
  firstItemTitle: z.string(),
  createdAt: IsoDateTime,
});
export type OrderSummary = z.infer<typeof OrderSummary>;

export const ROLES = ['frontline', 'logistics', 'after_sales', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const AgentUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
});
export type AgentUser = z.infer<typeof AgentUser>;

/** Total of an order's payment, the amount agents quote to customers. */
export function orderTotal(order: Pick<Order, 'payment'>): Money {
  return order.payment.amount;
}
