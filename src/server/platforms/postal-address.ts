import type { Address } from '../../shared/domain';
import { normalisePhone } from './phone-number';

/** ISO 3166 user-assigned code for an unknown country: the order had no address at all. */
export const UNKNOWN_COUNTRY = 'ZZ';

/** The address fields every platform has, under the domain's names. */
export interface PlatformAddressFields {
  name: string;
  phone?: string | null | undefined;
  line1?: string | null | undefined;
  line2?: string | null | undefined;
  city?: string | null | undefined;
  region?: string | null | undefined;
  postalCode?: string | null | undefined;
  country?: string | null | undefined;
}

export function toAddress(fields: PlatformAddressFields): Address {
  const country = fields.country?.trim().toUpperCase() ?? '';
  const line2 = fields.line2?.trim() ?? '';
  return {
    name: fields.name,
    phone: normalisePhone(fields.phone, country),
    line1: fields.line1?.trim() ?? '',
    ...(line2 === '' ? {} : { line2 }),
    city: fields.city?.trim() ?? '',
    region: fields.region?.trim() ?? '',
    postalCode: fields.postalCode?.trim() ?? '',
    country: /^[A-Z]{2}$/.test(country) ? country : UNKNOWN_COUNTRY,
  };
}
