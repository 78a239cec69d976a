import { invalidPayload } from './money';

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A platform timestamp as UTC ISO 8601 ('2026-11-20T08:15:00.000Z'). Shopify sends local times
 * with an offset; WooCommerce's `*_gmt` fields are UTC without one, so a missing offset means UTC.
 */
export function toUtcIso(value: string, field: string): string {
  const text = value.trim();
  const ms = Date.parse(HAS_OFFSET.test(text) ? text : `${text}Z`);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) {
    throw invalidPayload(`${field} must be an ISO 8601 date-time, got ${JSON.stringify(value).slice(0, 40)}`);
  }
  return new Date(ms).toISOString();
}

export function toUtcIsoOrNull(value: string | null | undefined, field: string): string | null {
  return value === null || value === undefined || value.trim() === '' ? null : toUtcIso(value, field);
}
