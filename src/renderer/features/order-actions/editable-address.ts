import type { Address } from '../../../shared/domain';
import type { VisibleOrder, WithholdableField } from '../../../shared/visibility';

/**
 * The address form's starting values: what the agent may see, and empty where the role gets
 * the field masked or not at all, so a masked value is never sent back as the new address.
 */
export function editableAddress(order: VisibleOrder): Address {
  const address = order.shippingAddress;
  const withheld = new Set<WithholdableField>([
    ...(order.visibility?.masked ?? []),
    ...(order.visibility?.hidden ?? []),
  ]);
  const value = (field: 'name' | 'phone' | 'line1' | 'line2' | 'postalCode') =>
    withheld.has(`shippingAddress.${field}`) ? '' : (address[field] ?? '');
  return {
    name: value('name'),
    phone: value('phone'),
    line1: value('line1'),
    line2: value('line2'),
    city: address.city,
    region: address.region,
    postalCode: value('postalCode'),
    country: address.country,
  };
}
