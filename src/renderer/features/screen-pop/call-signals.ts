import type { CallSignals } from '../../../shared/screen-pop/rank';

const headerValue = (headers: Record<string, string>, name: string): string | null => {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return entry && entry[1].trim() !== '' ? entry[1].trim() : null;
};

/** What the INVITE's X- headers say about the order: X-Order-Id and digits typed in the IVR. */
export function callSignalsOf(headers: Record<string, string>): CallSignals {
  const ivrDigits = Object.entries(headers)
    .filter(([name, value]) => /^x-ivr-/i.test(name) && /^\d{4,}$/.test(value.trim()))
    .map(([, value]) => value.trim());
  return { orderRef: headerValue(headers, 'x-order-id'), ivrDigits };
}

/** The shop's customer id, when the IVR or the shop's click-to-call identified the caller. */
export function customerIdOf(headers: Record<string, string>): string | null {
  return headerValue(headers, 'x-customer-id');
}
