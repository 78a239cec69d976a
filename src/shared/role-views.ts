import { z } from 'zod';
import { IsoDateTime, OrderStatus, RISK_FLAG_KINDS, Role, type Role as RoleName } from './domain';
import { DEFAULT_ROLE_LIMITS } from './rules/role-limits';
import { ROLE_ACTIONS } from './rules/role-permissions';
import { ActionType, RoleLimits } from './rules/types';

/**
 * What each role's workspace shows, in what order, which actions it offers and with which
 * limits. Stored on the gateway, delivered at sign-in and pushed live when an admin saves one.
 * A view can only narrow what the role is granted: the field classification (visibility.ts)
 * and ROLE_ACTIONS stay the ceiling, and the gateway enforces both.
 */

/** The order workspace's panels (tabs), in the default order. */
export const PANEL_IDS = [
  'overview',
  'items',
  'logistics',
  'afterSales',
  'promotions',
  'history',
  'otherOrders',
] as const;
export const PanelId = z.enum(PANEL_IDS);
export type PanelId = z.infer<typeof PanelId>;

/** The overview panel's fields, in the default order. */
export const OVERVIEW_FIELD_IDS = [
  'customer.name',
  'customer.phone',
  'customer.email',
  'payment.method',
  'payment.amount',
  'payment.status',
  'payment.paidAt',
  'shippingFee',
  'shippingAddress',
  'items',
  'shipments',
] as const;
export const OverviewFieldId = z.enum(OVERVIEW_FIELD_IDS);
export type OverviewFieldId = z.infer<typeof OverviewFieldId>;

const Shown = <T extends z.ZodType>(id: T) => z.object({ id, visible: z.boolean() }).strict();

/** Every id exactly once: the order is the array's order. */
function coversAll<T extends string>(ids: readonly T[]) {
  return (entries: ReadonlyArray<{ id: T }>) =>
    entries.length === ids.length && ids.every((id) => entries.some((entry) => entry.id === id));
}

export const AbnormalKind = z.enum(RISK_FLAG_KINDS);

export const RoleViewLayout = z
  .object({
    panels: z
      .array(Shown(PanelId))
      .refine(coversAll(PANEL_IDS), 'panels must list every panel exactly once')
      .refine((panels) => panels.some((panel) => panel.visible), 'at least one panel must be visible'),
    overviewFields: z
      .array(Shown(OverviewFieldId))
      .refine(coversAll(OVERVIEW_FIELD_IDS), 'overviewFields must list every field exactly once'),
    /** The panel an order opens on (must be visible). */
    defaultPanel: PanelId,
    /** Actions offered, in order; a subset of what the role may take (ROLE_ACTIONS). */
    actions: z.array(ActionType).max(ActionType.options.length),
    /** Refund ceilings etc.; enforced by the gateway's rules for this role. */
    limits: RoleLimits,
    /** Filters a fresh search and the abnormal-orders queue start with. */
    defaultFilters: z
      .object({
        statuses: z.array(OrderStatus).max(OrderStatus.options.length).optional(),
        abnormalKinds: z.array(AbnormalKind).max(RISK_FLAG_KINDS.length).optional(),
      })
      .strict(),
    /**
     * Helping the customer on the customer's own screen. Optional so that views saved before it
     * existed stay valid: without it the role's default applies (see mayCobrowse).
     */
    assist: z
      .object({
        /** May join a customer's co-browse session (needs a role in COBROWSE_ROLES). */
        cobrowse: z.boolean(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine(
    (view) => view.panels.some((panel) => panel.id === view.defaultPanel && panel.visible),
    'the default panel must be visible',
  )
  .refine((view) => new Set(view.actions).size === view.actions.length, 'an action is listed twice');
export type RoleViewLayout = z.infer<typeof RoleViewLayout>;

export const RoleView = z.object({
  role: Role,
  layout: RoleViewLayout,
  /** Bumped on every save; a save names the version it edited (stale: VERSION_CONFLICT). */
  version: z.number().int().nonnegative(),
  updatedAt: IsoDateTime.nullable(),
  /** Display name of the admin who saved it (null: the built-in default). */
  updatedBy: z.string().nullable(),
});
export type RoleView = z.infer<typeof RoleView>;

/**
 * The roles that may co-browse at all: those that talk to customers. A view may switch it off for
 * one of them, never on for another (admins configure the desk; they do not serve customers).
 */
export const COBROWSE_ROLES: readonly RoleName[] = ['frontline', 'logistics', 'after_sales', 'supervisor'];

/** Whether `role`, with this view, may join a customer's co-browse session. */
export function mayCobrowse(role: RoleName, layout: RoleViewLayout): boolean {
  return COBROWSE_ROLES.includes(role) && (layout.assist?.cobrowse ?? true);
}

/** Problems a layout has for `role` beyond its shape (actions or assistance the role may not have at all). */
export function layoutProblems(role: RoleName, layout: RoleViewLayout): string[] {
  const problems = layout.actions
    .filter((action) => !ROLE_ACTIONS[role].includes(action))
    .map((action) => `the ${role} role may not take ${action}`);
  if (layout.assist?.cobrowse && !COBROWSE_ROLES.includes(role)) {
    problems.push(`the ${role} role may not co-browse`);
  }
  return problems;
}

function layout(
  role: RoleName,
  options: {
    first?: PanelId[];
    hiddenPanels?: PanelId[];
    hiddenFields?: OverviewFieldId[];
    defaultFilters?: RoleViewLayout['defaultFilters'];
  } = {},
): RoleViewLayout {
  const first = options.first ?? [];
  const panels = [...first, ...PANEL_IDS.filter((id) => !first.includes(id))].map((id) => ({
    id,
    visible: !(options.hiddenPanels ?? []).includes(id),
  }));
  return {
    panels,
    overviewFields: OVERVIEW_FIELD_IDS.map((id) => ({
      id,
      visible: !(options.hiddenFields ?? []).includes(id),
    })),
    defaultPanel: panels[0]!.id,
    actions: [...ROLE_ACTIONS[role]],
    limits: DEFAULT_ROLE_LIMITS[role],
    defaultFilters: options.defaultFilters ?? {},
    assist: { cobrowse: COBROWSE_ROLES.includes(role) },
  };
}

/** The built-in views: logistics opens on logistics, after-sales on after-sales. */
export const DEFAULT_ROLE_LAYOUTS: Readonly<Record<RoleName, RoleViewLayout>> = {
  frontline: layout('frontline'),
  logistics: layout('logistics', {
    first: ['logistics', 'overview', 'items', 'history'],
    hiddenPanels: ['promotions', 'afterSales'],
    hiddenFields: ['payment.method', 'payment.paidAt', 'customer.email'],
    defaultFilters: { statuses: ['shipped'], abnormalKinds: ['logistics_stalled'] },
  }),
  after_sales: layout('after_sales', {
    first: ['afterSales', 'overview', 'items', 'promotions', 'history'],
    defaultFilters: { statuses: ['refunding', 'delivered'] },
  }),
  supervisor: layout('supervisor', {
    defaultFilters: { abnormalKinds: ['fraud_suspect', 'payment_failed'] },
  }),
  admin: layout('admin'),
};

export function defaultRoleView(role: RoleName): RoleView {
  return { role, layout: DEFAULT_ROLE_LAYOUTS[role], version: 0, updatedAt: null, updatedBy: null };
}
