import { z } from 'zod';
import { IsoDateTime, Platform, type Order, type OrderStatus } from './domain';
import { VisibleOrderSummary, type FieldGrants } from './visibility';

/**
 * Abnormal orders: orders in a state an agent should look at before the customer calls. An
 * order is abnormal while the condition holds, not forever: a paid order is no longer "unpaid
 * too long", a delivered parcel no longer "stalled". Derived from the order alone (its flags,
 * payment and shipments), so the gateway can keep a side table in step on every write.
 */
export const ABNORMAL_TYPES = [
  'unpaid_too_long',
  'payment_failed',
  'shipping_exception',
  'logistics_stalled',
  'address_changed_after_payment',
  'fraud_suspect',
] as const;
export const AbnormalType = z.enum(ABNORMAL_TYPES);
export type AbnormalType = z.infer<typeof AbnormalType>;

/**
 * The field class each type discloses: a role that may not see risk flags or payment details
 * does not get the types derived from them (the gateway enforces it).
 */
const TYPE_CLASS: Record<AbnormalType, keyof FieldGrants | 'public'> = {
  unpaid_too_long: 'public',
  payment_failed: 'payment',
  shipping_exception: 'public',
  // Logistics work stalled parcels: the stall is the carrier's, not a judgement about the buyer.
  logistics_stalled: 'public',
  address_changed_after_payment: 'risk',
  fraud_suspect: 'risk',
};

/** The types a role with `grants` may list. */
export function abnormalTypesFor(grants: FieldGrants): AbnormalType[] {
  return ABNORMAL_TYPES.filter((type) => {
    const fieldClass = TYPE_CLASS[type];
    return fieldClass === 'public' || grants[fieldClass] !== 'hidden';
  });
}

export const Abnormality = z.object({
  type: AbnormalType,
  /** When the condition began (the flag, the failed payment, the carrier's exception scan). */
  since: IsoDateTime,
});
export type Abnormality = z.infer<typeof Abnormality>;

/** Finished orders need no handling, whatever their flags say. */
const SETTLED: ReadonlySet<OrderStatus> = new Set(['completed', 'cancelled', 'refunded', 'closed']);
/** Before delivery: a changed address still decides where the parcel goes. */
const NOT_YET_DELIVERED: ReadonlySet<OrderStatus> = new Set(['paid', 'fulfilling', 'shipped']);

/** The order's current abnormalities, in ABNORMAL_TYPES order. */
export function abnormalitiesOf(order: Order): Abnormality[] {
  const found: Abnormality[] = [];
  const add = (type: AbnormalType, since: string | undefined) => {
    found.push({ type, since: since ?? order.updatedAt });
  };
  const latestFlag = (kind: Order['riskFlags'][number]['kind']) =>
    order.riskFlags.filter((flag) => flag.kind === kind).at(-1)?.at;

  if (order.status === 'pending_payment') {
    const unpaid = latestFlag('unpaid_too_long');
    if (unpaid !== undefined) add('unpaid_too_long', unpaid);
    if (order.payment.status === 'failed') add('payment_failed', latestFlag('payment_failed'));
  }
  if (!SETTLED.has(order.status)) {
    const stuck = order.shipments.filter((shipment) => shipment.status === 'exception');
    if (stuck.length > 0) {
      const scans = stuck.flatMap((shipment) =>
        shipment.events.filter((event) => event.status === 'exception'),
      );
      add('shipping_exception', scans.map((event) => event.at).sort()[0]);
    }
  }
  if (order.status === 'shipped') {
    const stalled = latestFlag('logistics_stalled');
    if (stalled !== undefined) add('logistics_stalled', stalled);
  }
  if (NOT_YET_DELIVERED.has(order.status)) {
    const changed = latestFlag('address_changed_after_payment');
    if (changed !== undefined) add('address_changed_after_payment', changed);
  }
  if (!SETTLED.has(order.status)) {
    const fraud = latestFlag('fraud_suspect');
    if (fraud !== undefined) add('fraud_suspect', fraud);
  }
  return found;
}

export const ABNORMAL_LIMIT_MAX = 200;

export const AbnormalOrdersQuery = z
  .object({
    /** One type; absent: every type, each order once (under its longest-standing abnormality). */
    type: AbnormalType.optional(),
    platforms: z.array(Platform).max(Platform.options.length).optional(),
    /** Only abnormalities at least this many days old ("stalled 3+ days"). */
    minAgeDays: z.number().int().min(0).max(365).optional(),
    /** newest: most recent first; oldest: longest-standing first. */
    order: z.enum(['newest', 'oldest']).default('oldest'),
    limit: z.number().int().min(1).max(ABNORMAL_LIMIT_MAX).default(100),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type AbnormalOrdersQuery = z.input<typeof AbnormalOrdersQuery>;

export const AbnormalOrderItem = z.object({
  order: VisibleOrderSummary,
  /** The abnormality this row is listed under. */
  type: AbnormalType,
  since: IsoDateTime,
  /** All of the order's current abnormalities. */
  abnormalities: z.array(Abnormality),
});
export type AbnormalOrderItem = z.infer<typeof AbnormalOrderItem>;

export const AbnormalOrdersPage = z.object({
  items: z.array(AbnormalOrderItem),
  nextCursor: z.string().nullable(),
  /** Orders per type under the platform filter (age and paging aside); only the role's types. */
  counts: z.partialRecord(AbnormalType, z.number().int().nonnegative()),
  /** Orders with any abnormality under the platform filter. */
  total: z.number().int().nonnegative(),
});
export type AbnormalOrdersPage = z.infer<typeof AbnormalOrdersPage>;
