export type GatewayKeyErrorCode =
  | 'KEY_SOURCE_CONFLICT'
  | 'KEY_SOURCE_MISSING'
  | 'KEY_FILE_MISSING'
  | 'KEY_FILE_EXISTS'
  | 'KEY_FILE_PERMISSIONS'
  | 'KEY_FILE_UNREADABLE'
  | 'KEY_FILE_INVALID';

/** A problem with the gateway's signing keys that an operator must fix before it can run. */
export class GatewayKeyError extends Error {
  constructor(
    readonly code: GatewayKeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayKeyError';
  }
}
