import {
  DEFAULT_ROLE_LAYOUTS,
  type OverviewFieldId,
  type PanelId,
  type RoleViewLayout,
} from '../../../shared/role-views';
import type { ActionType } from '../../../shared/rules/types';

/**
 * The layout engine's rules, apart from React: which panels, fields and actions a layout shows
 * and in which order. The gateway stays the authority on what the role may see and do; these
 * only narrow and order it.
 */

/** A layout to fall back on while the own view loads (the frontline one shows everything). */
export const FALLBACK_LAYOUT: RoleViewLayout = DEFAULT_ROLE_LAYOUTS.frontline;

export function visiblePanels(layout: RoleViewLayout): PanelId[] {
  return layout.panels.filter((panel) => panel.visible).map((panel) => panel.id);
}

export function visibleOverviewFields(layout: RoleViewLayout): OverviewFieldId[] {
  return layout.overviewFields.filter((field) => field.visible).map((field) => field.id);
}

/** The panel an order opens on: the default one if visible, else the first visible one. */
export function openingPanel(layout: RoleViewLayout): PanelId {
  const panels = visiblePanels(layout);
  return panels.includes(layout.defaultPanel) ? layout.defaultPanel : (panels[0] ?? 'overview');
}

/** The actions a layout offers, in its order, of those the gateway listed. */
export function offeredActions<T extends { action: ActionType }>(layout: RoleViewLayout, actions: T[]): T[] {
  return layout.actions.flatMap((type) => actions.filter((action) => action.action === type));
}

/** The overview's groups (customer, payment, address, items, shipments) in the order of their first field. */
export type OverviewGroup = 'customer' | 'payment' | 'address' | 'items' | 'shipments';

export function groupOf(field: OverviewFieldId): OverviewGroup {
  if (field.startsWith('customer.')) return 'customer';
  if (field.startsWith('payment.') || field === 'shippingFee') return 'payment';
  if (field === 'shippingAddress') return 'address';
  return field as 'items' | 'shipments';
}

export function overviewGroups(
  layout: RoleViewLayout,
): Array<{ group: OverviewGroup; fields: OverviewFieldId[] }> {
  const groups: Array<{ group: OverviewGroup; fields: OverviewFieldId[] }> = [];
  for (const field of visibleOverviewFields(layout)) {
    const group = groupOf(field);
    const existing = groups.find((entry) => entry.group === group);
    if (existing) existing.fields.push(field);
    else groups.push({ group, fields: [field] });
  }
  return groups;
}

/** Moves entry `index` one place up (-1) or down (+1); out of range leaves the list as it is. */
export function move<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta;
  if (target < 0 || target >= list.length) return [...list];
  const next = [...list];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}
