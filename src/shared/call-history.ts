import { z } from 'zod';
import { DISPOSITIONS } from './agent-state';

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

/** How the call ended for the phone: answered and hung up, missed, refused, failed. */
export const CALL_OUTCOMES = ['answered', 'missed', 'rejected', 'failed', 'transferred'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const NewCallRecord = z
  .object({
    /** The SIP Call-ID: recording the same call twice keeps one row. */
    callId: z.string().min(1).max(256),
    direction: z.enum(CALL_DIRECTIONS),
    number: z.string().max(64),
    name: z.string().max(128),
    startedAt: z.iso.datetime(),
    /** Seconds talking (0 if never answered). */
    durationSeconds: z.number().int().min(0).max(86_400),
    outcome: z.enum(CALL_OUTCOMES),
    /** From the call's X-Order-Id header, when the IVR or shop identified the order. */
    orderId: z.string().max(64).nullable(),
  })
  .strict();
export type NewCallRecord = z.infer<typeof NewCallRecord>;

export const CallDispositionUpdate = z
  .object({
    callId: z.string().min(1).max(256),
    disposition: z.enum(DISPOSITIONS),
    note: z.string().trim().max(1000).nullable(),
  })
  .strict();
export type CallDispositionUpdate = z.infer<typeof CallDispositionUpdate>;

export interface CallRecord extends NewCallRecord {
  disposition: (typeof DISPOSITIONS)[number] | null;
  note: string | null;
}
