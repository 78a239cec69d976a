import { z } from 'zod';

/** What the agent is doing, as the desk and the gateway (team view, routing) see it. */
export const AGENT_STATES = ['available', 'on_call', 'after_call_work', 'away'] as const;
export type AgentStateName = (typeof AGENT_STATES)[number];

export const AWAY_REASONS = ['break', 'lunch', 'meeting', 'training', 'other'] as const;
export type AwayReason = (typeof AWAY_REASONS)[number];

/** How a call ended from the business's point of view; required to leave after-call work early. */
export const DISPOSITIONS = ['resolved', 'follow_up', 'escalated', 'wrong_number', 'other'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const AgentStateReport = z
  .object({
    state: z.enum(AGENT_STATES),
    /** Only with 'away'. */
    reason: z.enum(AWAY_REASONS).nullable(),
    /** ISO time the state was entered on the desk. */
    since: z.iso.datetime(),
    /**
     * While on a call: the other party's number and when the call began, for the supervisors'
     * team view (the gateway masks the number for roles without full contact data).
     */
    call: z
      .object({ remote: z.string().trim().min(1).max(64), since: z.iso.datetime() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((report) => (report.state === 'away') === (report.reason !== null), {
    message: 'a reason is given with away, and only with away',
  });
export type AgentStateReport = z.infer<typeof AgentStateReport>;
