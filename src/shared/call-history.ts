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

/** An order the agent had open during the call. */
export const CallOrderRef = z
  .object({
    orderId: z.string().min(1).max(64),
    displayNumber: z.string().min(1).max(64),
  })
  .strict();
export type CallOrderRef = z.infer<typeof CallOrderRef>;

export const CALL_ACTION_OUTCOMES = ['applied', 'pending_approval', 'queued', 'refused', 'failed'] as const;

/** An order action the agent took during the call or its after-call work, with how it ended. */
export const CallAction = CallOrderRef.extend({
  /** An ActionType ('refund', 'note', ...). */
  type: z.string().min(1).max(32),
  outcome: z.enum(CALL_ACTION_OUTCOMES),
  at: z.iso.datetime(),
}).strict();
export type CallAction = z.infer<typeof CallAction>;

/** Recorded as it happens, so the call's record keeps the action even without a wrap-up. */
export const CallActionRecord = z.object({ callId: z.string().min(1).max(256), action: CallAction }).strict();
export type CallActionRecord = z.infer<typeof CallActionRecord>;

/** The wrap-up summary the agent saved: what of the call's orders and actions it kept. */
export const CallSummary = z
  .object({
    orders: z.array(CallOrderRef).max(50),
    actions: z.array(CallAction).max(100),
  })
  .strict();
export type CallSummary = z.infer<typeof CallSummary>;

export const CallDispositionUpdate = z
  .object({
    callId: z.string().min(1).max(256),
    disposition: z.enum(DISPOSITIONS),
    note: z.string().trim().max(1000).nullable(),
    /** The wrap-up summary (absent: the disposition alone, as before). */
    summary: CallSummary.optional(),
  })
  .strict();
export type CallDispositionUpdate = z.infer<typeof CallDispositionUpdate>;

/**
 * The wrap-up as it stood when after-call work ended without a save (the timer ran out, or the
 * next call was answered): saved with the call once, marked as saved by the desk.
 */
export const AutoSavedWrapUp = z
  .object({
    callId: z.string().min(1).max(256),
    /** If the agent had chosen one. */
    disposition: z.enum(DISPOSITIONS).nullable(),
    /** The note so far. */
    note: z.string().trim().max(1000).nullable(),
    /** Absent when the desk no longer knows the call's summary (the actions recorded remain). */
    summary: CallSummary.optional(),
  })
  .strict();
export type AutoSavedWrapUp = z.infer<typeof AutoSavedWrapUp>;

export interface CallRecord extends NewCallRecord {
  disposition: (typeof DISPOSITIONS)[number] | null;
  note: string | null;
  /** Actions taken during the call or its after-call work, oldest first. */
  actions: CallAction[];
  /** The saved wrap-up summary, if the agent saved one. */
  summary: CallSummary | null;
  /** The wrap-up was saved by the desk when after-call work ended without the agent saving. */
  autoSaved: boolean;
}
