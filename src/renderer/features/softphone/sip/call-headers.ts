/** sip.js keeps parsed headers as name -> [{ raw }]; names arrive in canonical case (X-Order-Id). */
type SipHeaders = Record<string, Array<{ raw: string }>>;

/**
 * The call's X- headers (X-Order-Id, X-Customer-Id, X-IVR-*): the shop or IVR tells the desk
 * who is calling about what. Kept on the call for screen pop; values are trimmed and bounded.
 */
export function extensionHeaders(headers: SipHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, values] of Object.entries(headers)) {
    const value = values[0]?.raw;
    if (/^x-/i.test(name) && value !== undefined) result[name] = value.trim().slice(0, 256);
  }
  return result;
}

/** The order the call is about, if a header names one. */
export function orderIdOf(headers: Record<string, string>): string | null {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'x-order-id');
  return entry && entry[1] !== '' ? entry[1].slice(0, 64) : null;
}
