/**
 * Websocket close codes the gateway uses: RFC 6455 ones, and 4xxx private ones that mirror the
 * HTTP status (4401 an unusable session token, 4408 a missed deadline: no hello, or no sign-in,
 * in time; the error frame before the close says which).
 */
export const CLOSE_CODES = {
  goingAway: 1001,
  protocolError: 1002,
  policyViolation: 1008,
  messageTooBig: 1009,
  unauthenticated: 4401,
  helloTimeout: 4408,
  signInTimeout: 4408,
  /** Co-browse: the session continues on another socket (the page was loaded again). */
  replaced: 4409,
  /** Co-browse: no code (over a cap), or too many wrong resume tokens. */
  cobrowseRefused: 4429,
} as const;
