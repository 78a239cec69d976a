import type { Order, RiskFlag, Shipment } from '../../shared/domain';
import { withStatusEntry } from './order-timeline';

/**
 * A platform's fresh snapshot of an order merged into the stored one. The platform owns what the
 * shop knows (customer, items, money, status, addresses, its fulfilments and refunds); the gateway
 * owns what agents added (notes, after-sales cases they opened, risk flags) and the history (the
 * timeline, shipment events), which a snapshot must not wipe.
 */
export function mergePlatformOrder(stored: Order, snapshot: Order, at: string): Order {
  return {
    ...stored,
    displayNumber: snapshot.displayNumber,
    customer: snapshot.customer,
    status: snapshot.status,
    payment: snapshot.payment,
    items: snapshot.items,
    shippingFee: snapshot.shippingFee,
    shippingAddress: snapshot.shippingAddress,
    promotions: snapshot.promotions,
    createdAt: snapshot.createdAt,
    shipments: mergeById(stored.shipments, snapshot.shipments, mergeShipment),
    // A case keeps the time it was first seen: some platforms list refunds without their dates.
    afterSales: mergeById(stored.afterSales, snapshot.afterSales, (old, incoming) => ({
      ...incoming,
      createdAt: old.createdAt,
    })),
    riskFlags: mergeRiskFlags(stored.riskFlags, snapshot.riskFlags),
    timeline: withStatusEntry(stored.timeline, snapshot.status, at, snapshot.platform),
  };
}

/**
 * The incoming shipment with the stored events as history. A platform snapshot carries only the
 * latest tracking state, so its event is added when the state changed, not on every update.
 */
export function mergeShipment(stored: Shipment, incoming: Shipment): Shipment {
  const events = [...stored.events, ...incoming.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return {
    ...incoming,
    events: events.filter((event, index) => index === 0 || events[index - 1]!.status !== event.status),
  };
}

/** Stored entries updated or kept in place, then the new ones in incoming order. */
export function mergeById<T extends { id: string }>(
  stored: readonly T[],
  incoming: readonly T[],
  merge: (stored: T, incoming: T) => T,
): T[] {
  const incomingById = new Map(incoming.map((entry) => [entry.id, entry]));
  const merged = stored.map((entry) => {
    const update = incomingById.get(entry.id);
    return update ? merge(entry, update) : entry;
  });
  const storedIds = new Set(stored.map((entry) => entry.id));
  return [...merged, ...incoming.filter((entry) => !storedIds.has(entry.id))];
}

function mergeRiskFlags(stored: readonly RiskFlag[], incoming: readonly RiskFlag[]): RiskFlag[] {
  const seen = new Set(stored.map((flag) => `${flag.kind}|${flag.at}`));
  return [...stored, ...incoming.filter((flag) => !seen.has(`${flag.kind}|${flag.at}`))];
}
