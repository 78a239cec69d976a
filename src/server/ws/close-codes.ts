/** Websocket close codes the gateway uses (RFC 6455, plus 4401 for an unusable session token). */
export const CLOSE_CODES = {
  goingAway: 1001,
  protocolError: 1002,
  messageTooBig: 1009,
  unauthenticated: 4401,
} as const;
