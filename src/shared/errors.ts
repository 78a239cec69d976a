/**
 * Stable error codes shared by the gateway protocol and the IPC contract.
 * Codes never change meaning; the UI maps each one to a translated message.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VERSION_CONFLICT',
  'NOT_ELIGIBLE',
  'RATE_LIMITED',
  'PROTOCOL_VERSION',
  'FRAME_TOO_LARGE',
  'UNKNOWN_METHOD',
  'FORBIDDEN_SENDER',
  'NOT_SIGNED_IN',
  'GATEWAY_UNAVAILABLE',
  'TIMEOUT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  /** English developer-facing text; the renderer shows a translation keyed by `code`. */
  message: string;
}

/** An error that crosses a process or network boundary with a stable code. */
export class DeskError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'DeskError';
    this.code = code;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }

  static from(err: unknown): DeskError {
    if (err instanceof DeskError) return err;
    if (isErrorInfo(err)) return new DeskError(err.code, err.message);
    return new DeskError('INTERNAL', err instanceof Error ? err.message : String(err));
  }
}

export function isErrorInfo(value: unknown): value is ErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorInfo).code === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as ErrorInfo).code) &&
    typeof (value as ErrorInfo).message === 'string'
  );
}
