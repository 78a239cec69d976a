import type { VisibleOrder } from './visibility';
import type { RuleReason } from './rules/types';

/**
 * Stable error codes shared by the gateway protocol and the IPC contract.
 * Codes never change meaning; the UI maps each one to a translated message.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'SESSION_EXPIRED',
  /** The gateway ended the sign-in: signed out elsewhere, a token used twice, the role changed. */
  'SESSION_ENDED',
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
  /** A ws:// (clear) address to another computer: only wss:// may leave this one (shared/transport.ts). */
  'INSECURE_TRANSPORT',
  /** The desk keeps no call history: IT policy, or no protected key store on this computer. */
  'CALL_HISTORY_OFF',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorInfo {
  code: ErrorCode;
  /** English developer-facing text; the renderer shows a translation keyed by `code`. */
  message: string;
  /**
   * Machine-readable context: the current order on VERSION_CONFLICT, the rule reasons on
   * NOT_ELIGIBLE. The protocol schema validates it on the wire.
   */
  details?: ErrorDetails;
}

export interface ErrorDetails {
  currentOrder?: VisibleOrder;
  reasons?: RuleReason[];
  /** On RATE_LIMITED: how long until the same request may succeed. */
  retryAfterMs?: number;
}

/** An error that crosses a process or network boundary with a stable code. */
export class DeskError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'DeskError';
    this.code = code;
    this.details = details;
  }

  toInfo(): ErrorInfo {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }

  static from(err: unknown): DeskError {
    if (err instanceof DeskError) return err;
    if (isErrorInfo(err)) return new DeskError(err.code, err.message, err.details);
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
