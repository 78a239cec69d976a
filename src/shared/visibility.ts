import { z } from 'zod';
import {
  Address,
  CustomerRef,
  IsoDateTime,
  Order,
  OrderNote,
  OrderSummary,
  Payment,
  RiskFlag,
  type Role,
} from './domain';

/**
 * One classification of every order and customer field. It decides what each role receives
 * from the gateway (full, masked or not at all), what a reveal may uncover, and later what
 * co-browse masks and what the audit treats as personal data.
 *
 * - public: what the order is (status, items, money, parcels, cases, promotions, history)
 * - contact: who the customer is and how to reach them (names, phone numbers, e-mail)
 * - address: where the goods go, below the city (street lines, postal code)
 * - payment: how and when the customer paid
 * - internal: what only the company writes or uses (agent notes, the platform's own order id)
 * - risk: fraud and payment-risk signals
 */
export const FIELD_CLASSES = ['public', 'contact', 'address', 'payment', 'internal', 'risk'] as const;
export const FieldClass = z.enum(FIELD_CLASSES);
export type FieldClass = z.infer<typeof FieldClass>;

/**
 * Every field of the Order, by path. Objects are classified field by field; arrays as a whole.
 * A unit test walks the Order schema and fails when a field is missing here, so a new field
 * cannot reach agents unclassified.
 */
export const FIELD_CLASSIFICATION = {
  id: 'public',
  platform: 'public',
  platformOrderId: 'internal',
  displayNumber: 'public',
  'customer.id': 'public',
  'customer.name': 'contact',
  'customer.phone': 'contact',
  'customer.email': 'contact',
  status: 'public',
  'payment.method': 'payment',
  'payment.amount': 'public',
  'payment.status': 'public',
  'payment.paidAt': 'payment',
  items: 'public',
  shippingFee: 'public',
  'shippingAddress.name': 'contact',
  'shippingAddress.phone': 'contact',
  'shippingAddress.line1': 'address',
  'shippingAddress.line2': 'address',
  'shippingAddress.city': 'public',
  'shippingAddress.region': 'public',
  'shippingAddress.postalCode': 'address',
  'shippingAddress.country': 'public',
  shipments: 'public',
  afterSales: 'public',
  promotions: 'public',
  riskFlags: 'risk',
  timeline: 'public',
  notes: 'internal',
  createdAt: 'public',
  updatedAt: 'public',
  version: 'public',
} as const satisfies Record<string, FieldClass>;
export type FieldPath = keyof typeof FIELD_CLASSIFICATION;

/** The fields a role may lack: everything not public. */
export const WITHHOLDABLE_FIELDS = (Object.keys(FIELD_CLASSIFICATION) as FieldPath[]).filter(
  (path) => FIELD_CLASSIFICATION[path] !== 'public',
);
export const WithholdableField = z.enum(WITHHOLDABLE_FIELDS as [FieldPath, ...FieldPath[]]);
export type WithholdableField = z.infer<typeof WithholdableField>;

/** Classes whose values can be shown partly (a masked phone still tells the agent which one). */
export const MASKABLE_CLASSES = ['contact', 'address'] as const satisfies readonly FieldClass[];
export type MaskableClass = (typeof MASKABLE_CLASSES)[number];

export const FieldAccess = z.enum(['full', 'masked', 'hidden']);
export type FieldAccess = z.infer<typeof FieldAccess>;

/** What a role receives of each class; only contact and address can be masked. */
export const FieldGrants = z.object({
  contact: FieldAccess,
  address: FieldAccess,
  payment: z.enum(['full', 'hidden']),
  internal: z.enum(['full', 'hidden']),
  risk: z.enum(['full', 'hidden']),
});
export type FieldGrants = z.infer<typeof FieldGrants>;

export interface RoleFieldPolicy {
  grants: FieldGrants;
  /** Masked classes this role may reveal, one field at a time, with a reason (audited). */
  reveal: readonly MaskableClass[];
}

/**
 * The default classification grants. Least privilege: nobody receives full contact data by
 * default; frontline and after-sales may reveal a phone number or address with a reason when
 * the call needs it; logistics works with addresses and never sees payment.
 */
export const ROLE_FIELD_POLICIES: Readonly<Record<Role, RoleFieldPolicy>> = {
  frontline: {
    grants: { contact: 'masked', address: 'masked', payment: 'full', internal: 'full', risk: 'full' },
    reveal: ['contact', 'address'],
  },
  logistics: {
    grants: { contact: 'masked', address: 'full', payment: 'hidden', internal: 'full', risk: 'hidden' },
    reveal: ['contact'],
  },
  after_sales: {
    grants: { contact: 'masked', address: 'full', payment: 'full', internal: 'full', risk: 'full' },
    reveal: ['contact'],
  },
  supervisor: {
    grants: { contact: 'masked', address: 'full', payment: 'full', internal: 'full', risk: 'full' },
    reveal: ['contact'],
  },
  admin: {
    grants: { contact: 'masked', address: 'masked', payment: 'hidden', internal: 'full', risk: 'full' },
    reveal: [],
  },
};

export function accessTo(grants: FieldGrants, path: FieldPath): FieldAccess {
  const fieldClass = FIELD_CLASSIFICATION[path];
  return fieldClass === 'public' ? 'full' : grants[fieldClass];
}

/** Whether `role` may reveal the masked field `path`. */
export function mayReveal(policy: RoleFieldPolicy, path: FieldPath): boolean {
  const fieldClass = FIELD_CLASSIFICATION[path];
  return (
    (MASKABLE_CLASSES as readonly string[]).includes(fieldClass) &&
    policy.grants[fieldClass as MaskableClass] === 'masked' &&
    policy.reveal.includes(fieldClass as MaskableClass)
  );
}

// ---- masking ------------------------------------------------------------------------------

const MASK = '*';

/** Keeps the last four digits (and a leading +): "+86 138 1234 5678" -> "+** *** **** 5678". */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '').length;
  let seen = 0;
  return phone.replace(/\d/g, (digit) => (++seen > digits - 4 ? digit : MASK));
}

/** First letter of each word: "张伟" -> "张*", "Jane Doe" -> "J*** D**". */
export function maskName(name: string): string {
  return name
    .split(/(\s+)/)
    .map((part) =>
      /^\s*$/.test(part) ? part : [...part][0] + MASK.repeat(Math.min([...part].length - 1, 3) || 1),
    )
    .join('');
}

/** "jane.doe@example.com" -> "j***@example.com". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return MASK.repeat(3);
  return `${email[0]}${MASK.repeat(3)}${email.slice(at)}`;
}

/** Street lines carry nothing an agent may see masked. */
export function maskLine(line: string): string {
  return line.length === 0 ? line : MASK.repeat(4);
}

/** Keeps the first two characters, which name the district: "200120" -> "20****". */
export function maskPostalCode(code: string): string {
  return code.slice(0, 2) + MASK.repeat(Math.max(code.length - 2, 2));
}

const MASKERS: Partial<Record<FieldPath, (value: string) => string>> = {
  'customer.name': maskName,
  'customer.phone': maskPhone,
  'customer.email': maskEmail,
  'shippingAddress.name': maskName,
  'shippingAddress.phone': maskPhone,
  'shippingAddress.line1': maskLine,
  'shippingAddress.line2': maskLine,
  'shippingAddress.postalCode': maskPostalCode,
};

/** Masks one classified string value; fields that cannot be masked give null (withhold them). */
export function maskValue(path: FieldPath, value: string): string | null {
  const mask = MASKERS[path];
  return mask ? mask(value) : null;
}

// ---- what leaves the gateway -----------------------------------------------------------------

export const Visibility = z.object({
  /** Fields sent masked (their values contain '*'). */
  masked: z.array(WithholdableField),
  /** Fields not sent at all. */
  hidden: z.array(WithholdableField),
  /** Masked fields this agent may reveal with a reason. */
  revealable: z.array(WithholdableField),
});
export type Visibility = z.infer<typeof Visibility>;

export const VisibleCustomer = CustomerRef.extend({
  name: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
});
export type VisibleCustomer = z.infer<typeof VisibleCustomer>;

export const VisibleAddress = Address.extend({
  name: z.string().optional(),
  phone: z.string().optional(),
  line1: z.string().optional(),
  line2: z.string().optional(),
  postalCode: z.string().optional(),
});
export type VisibleAddress = z.infer<typeof VisibleAddress>;

export const VisiblePayment = Payment.extend({
  method: z.string().min(1).optional(),
  paidAt: IsoDateTime.nullable().optional(),
});
export type VisiblePayment = z.infer<typeof VisiblePayment>;

/**
 * An order as a role receives it: classified fields may be masked or absent, and `visibility`
 * says which (absent only on orders built locally, e.g. in tests: then nothing was withheld).
 */
export const VisibleOrder = Order.extend({
  platformOrderId: z.string().optional(),
  customer: VisibleCustomer,
  payment: VisiblePayment,
  shippingAddress: VisibleAddress,
  riskFlags: z.array(RiskFlag).optional(),
  notes: z.array(OrderNote).optional(),
  visibility: Visibility.optional(),
});
export type VisibleOrder = z.infer<typeof VisibleOrder>;

/** A search row as a role receives it. */
export const VisibleOrderSummary = OrderSummary.extend({
  customerName: z.string().optional(),
  customerPhone: z.string().optional(),
});
export type VisibleOrderSummary = z.infer<typeof VisibleOrderSummary>;

/** Which withheld fields the UI should show as "masked", "hidden", "revealable". */
export function visibilityOf(policy: RoleFieldPolicy): Visibility {
  const masked: WithholdableField[] = [];
  const hidden: WithholdableField[] = [];
  for (const path of WITHHOLDABLE_FIELDS) {
    const access = accessTo(policy.grants, path);
    if (access === 'hidden' || (access === 'masked' && !MASKERS[path])) hidden.push(path);
    else if (access === 'masked') masked.push(path);
  }
  return { masked, hidden, revealable: masked.filter((path) => mayReveal(policy, path)) };
}

function withheld<T extends string | undefined | null>(
  visibility: Visibility,
  path: FieldPath,
  value: T,
): T | string | undefined {
  if ((visibility.hidden as FieldPath[]).includes(path)) return undefined;
  if ((visibility.masked as FieldPath[]).includes(path) && typeof value === 'string') {
    return maskValue(path, value) ?? undefined;
  }
  return value;
}

/**
 * The order as `policy` allows: hidden fields removed (not blanked), masked ones masked. Built
 * field by field from the classification, so a new field is withheld until it is classified.
 */
export function visibleOrder(order: Order, policy: RoleFieldPolicy): VisibleOrder {
  const visibility = visibilityOf(policy);
  const pick = <T extends string | null | undefined>(path: FieldPath, value: T) =>
    withheld(visibility, path, value);
  const { customer, payment, shippingAddress: address } = order;
  const result: VisibleOrder = {
    ...order,
    platformOrderId: pick('platformOrderId', order.platformOrderId),
    customer: {
      id: customer.id,
      name: pick('customer.name', customer.name),
      phone: pick('customer.phone', customer.phone),
      email: pick('customer.email', customer.email),
    },
    payment: {
      amount: payment.amount,
      status: payment.status,
      method: pick('payment.method', payment.method),
      paidAt: pick('payment.paidAt', payment.paidAt) as string | null | undefined,
    },
    shippingAddress: {
      name: pick('shippingAddress.name', address.name),
      phone: pick('shippingAddress.phone', address.phone),
      line1: pick('shippingAddress.line1', address.line1),
      line2: pick('shippingAddress.line2', address.line2),
      city: address.city,
      region: address.region,
      postalCode: pick('shippingAddress.postalCode', address.postalCode),
      country: address.country,
    },
    riskFlags: visibility.hidden.includes('riskFlags') ? undefined : order.riskFlags,
    notes: visibility.hidden.includes('notes') ? undefined : order.notes,
    visibility,
  };
  return dropUndefined(result);
}

/** A search row as `policy` allows (the same rules as the order's customer fields). */
export function visibleSummary(summary: OrderSummary, policy: RoleFieldPolicy): VisibleOrderSummary {
  const visibility = visibilityOf(policy);
  return dropUndefined({
    ...summary,
    customerName: withheld(visibility, 'customer.name', summary.customerName),
    customerPhone: withheld(visibility, 'customer.phone', summary.customerPhone),
  });
}

/** The unmasked value of one field, for a reveal (the caller checks mayReveal and audits). */
export function fieldValue(order: Order, path: FieldPath): unknown {
  const [head, tail] = path.split('.') as [keyof Order, string | undefined];
  const value = order[head];
  return tail === undefined ? value : (value as unknown as Record<string, unknown>)[tail];
}

/** JSON drops undefined anyway; removing the keys keeps `'phone' in customer` honest in tests. */
function dropUndefined<T extends object>(value: T): T {
  for (const [key, entry] of Object.entries(value)) {
    if (entry === undefined) delete (value as Record<string, unknown>)[key];
    else if (entry && typeof entry === 'object' && !Array.isArray(entry)) dropUndefined(entry as object);
  }
  return value;
}
