import { z } from 'zod';

/**
 * The parts of a WooCommerce REST API v3 order (the order.* webhook body) the adapter reads.
 * Unknown fields are ignored; most known ones are optional, because plugins and store versions
 * differ in what they fill in.
 */

const WooId = z
  .union([
    z.number().int().nonnegative().refine(Number.isSafeInteger, 'id is larger than 2^53'),
    z.string().regex(/^\d{1,15}$/),
  ])
  .transform(String);
/** WooCommerce sends amounts as decimal strings ('19.99'). */
const Amount = z.union([z.string(), z.number()]);
const Text = z.string().nullish();

const WooAddress = z.object({
  first_name: Text,
  last_name: Text,
  company: Text,
  address_1: Text,
  address_2: Text,
  city: Text,
  state: Text,
  postcode: Text,
  country: Text,
  email: Text,
  phone: Text,
});
export type WooAddress = z.infer<typeof WooAddress>;

const WooLineItem = z.object({
  name: z.string().min(1),
  product_id: WooId.nullish(),
  variation_id: WooId.nullish(),
  quantity: z.number().int().nonnegative(),
  /** The line before discounts, excluding tax. */
  subtotal: Amount,
  sku: Text,
});
export type WooLineItem = z.infer<typeof WooLineItem>;

export const WooOrder = z.object({
  id: WooId,
  /** Plugins (sequential numbering) make it differ from the id; a few send a number. */
  number: z.union([z.string(), z.number()]).nullish(),
  status: z.string().min(1),
  currency: z.string(),
  total: Amount,
  shipping_total: Amount.nullish(),
  customer_id: z.number().int().nonnegative().nullish(),
  date_created_gmt: z.string().min(1),
  date_modified_gmt: Text,
  date_paid_gmt: Text,
  date_completed_gmt: Text,
  billing: WooAddress.nullish(),
  shipping: WooAddress.nullish(),
  payment_method: Text,
  payment_method_title: Text,
  line_items: z.array(WooLineItem),
  coupon_lines: z.array(z.object({ code: z.string(), discount: Amount, discount_type: Text })).nullish(),
  refunds: z.array(z.object({ id: WooId, reason: Text, total: Amount })).nullish(),
});
export type WooOrder = z.infer<typeof WooOrder>;
