import { z } from 'zod';

/**
 * The parts of Shopify Admin API (REST) payloads the adapter reads: the order resource (orders/*
 * webhooks), the refund resource (refunds/create) and the fulfillment resource (fulfillments/*).
 * Unknown fields are ignored and most known ones are optional: shops, apps and API versions
 * differ in what they fill in.
 */

/**
 * Shopify ids are integers; some apps send them as strings. An id past 2^53 would have lost
 * digits in JSON.parse, so it is refused rather than stored as another order's id.
 */
const ShopifyId = z
  .union([
    z.number().int().nonnegative().refine(Number.isSafeInteger, 'id is larger than 2^53'),
    z.string().regex(/^\d{1,15}$/),
  ])
  .transform(String);
/** Decimal amounts arrive as strings ('19.99'); parseMoney also takes numbers. */
const Amount = z.union([z.string(), z.number()]);
const Text = z.string().nullish();
const Timestamp = z.string().min(1);

const ShopifyAddress = z.object({
  first_name: Text,
  last_name: Text,
  name: Text,
  phone: Text,
  address1: Text,
  address2: Text,
  city: Text,
  province: Text,
  province_code: Text,
  zip: Text,
  country: Text,
  country_code: Text,
});
export type ShopifyAddress = z.infer<typeof ShopifyAddress>;

const ShopifyCustomer = z.object({
  id: ShopifyId.nullish(),
  first_name: Text,
  last_name: Text,
  email: Text,
  phone: Text,
  default_address: ShopifyAddress.nullish(),
});

const DiscountAllocations = z
  .array(z.object({ amount: Amount, discount_application_index: z.number().int().nonnegative() }))
  .nullish();

const ShopifyLineItem = z.object({
  id: ShopifyId.nullish(),
  variant_id: ShopifyId.nullish(),
  product_id: ShopifyId.nullish(),
  sku: Text,
  title: z.string().min(1),
  quantity: z.number().int().nonnegative(),
  price: Amount,
  product_type: Text,
  gift_card: z.boolean().nullish(),
  discount_allocations: DiscountAllocations,
});
export type ShopifyLineItem = z.infer<typeof ShopifyLineItem>;

const ShopifyDiscountApplication = z.object({
  type: Text,
  /** 'line_item' or 'shipping_line': what the discount comes off. */
  target_type: Text,
  title: Text,
  description: Text,
  code: Text,
  /** '10.0' with value_type 'percentage', '5.00' with 'fixed_amount'. */
  value: Amount.nullish(),
  value_type: Text,
});
type ShopifyDiscountApplication = z.infer<typeof ShopifyDiscountApplication>;

export const ShopifyFulfillment = z.object({
  id: ShopifyId,
  order_id: ShopifyId.nullish(),
  status: Text,
  created_at: Timestamp,
  updated_at: Text,
  tracking_company: Text,
  tracking_number: Text,
  tracking_numbers: z.array(z.string()).nullish(),
  shipment_status: Text,
});
export type ShopifyFulfillment = z.infer<typeof ShopifyFulfillment>;

export const ShopifyRefund = z.object({
  id: ShopifyId,
  order_id: ShopifyId.nullish(),
  created_at: Timestamp,
  note: Text,
  refund_line_items: z
    .array(
      z.object({
        quantity: z.number().int().nonnegative(),
        subtotal: Amount.nullish(),
        line_item: ShopifyLineItem.pick({
          sku: true,
          variant_id: true,
          product_id: true,
          id: true,
        }).nullish(),
      }),
    )
    .nullish(),
  transactions: z.array(z.object({ kind: Text, status: Text, amount: Amount })).nullish(),
});
export type ShopifyRefund = z.infer<typeof ShopifyRefund>;

export const ShopifyOrder = z.object({
  id: ShopifyId,
  name: Text,
  order_number: z.number().int().nonnegative().nullish(),
  email: Text,
  phone: Text,
  created_at: Timestamp,
  updated_at: Text,
  processed_at: Text,
  cancelled_at: Text,
  cancel_reason: Text,
  closed_at: Text,
  currency: z.string(),
  total_price: Amount,
  subtotal_price: Amount.nullish(),
  total_shipping_price_set: z.object({ shop_money: z.object({ amount: Amount }) }).nullish(),
  shipping_lines: z.array(z.object({ price: Amount, discount_allocations: DiscountAllocations })).nullish(),
  financial_status: Text,
  fulfillment_status: Text,
  gateway: Text,
  payment_gateway_names: z.array(z.string()).nullish(),
  line_items: z.array(ShopifyLineItem),
  discount_codes: z.array(z.object({ code: z.string(), amount: Amount, type: Text })).nullish(),
  discount_applications: z.array(ShopifyDiscountApplication).nullish(),
  shipping_address: ShopifyAddress.nullish(),
  billing_address: ShopifyAddress.nullish(),
  customer: ShopifyCustomer.nullish(),
  fulfillments: z.array(ShopifyFulfillment).nullish(),
  refunds: z.array(ShopifyRefund).nullish(),
});
export type ShopifyOrder = z.infer<typeof ShopifyOrder>;
