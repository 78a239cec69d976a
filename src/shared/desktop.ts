import { z } from 'zod';
import { AGENT_STATES } from './agent-state';
import { HOTKEY_ACTIONS, type HotkeyAction } from './phone-settings';

/** Asks main to tell the agent about a ringing call when the window is not in front. */
export const RingingNotice = z
  .object({
    callId: z.string().min(1).max(256),
    /** Already translated by the renderer: main has no i18n. */
    title: z.string().max(200),
    body: z.string().max(500),
    answerLabel: z.string().min(1).max(40),
    declineLabel: z.string().min(1).max(40),
  })
  .strict();
export type RingingNotice = z.infer<typeof RingingNotice>;

export const PHONE_LINK_STATES = ['unconfigured', 'connecting', 'registered', 'offline'] as const;
export type PhoneLinkState = (typeof PHONE_LINK_STATES)[number];

/** What the tray shows: the renderer reports its phone and agent state, main picks the icon. */
export const DeskStatusReport = z
  .object({
    phone: z.enum(PHONE_LINK_STATES),
    agentState: z.enum(AGENT_STATES),
    ringing: z.boolean(),
    /** Translated one-line summary for the tray tooltip. */
    tooltip: z.string().max(200),
  })
  .strict();
export type DeskStatusReport = z.infer<typeof DeskStatusReport>;

export const TRAY_INDICATORS = ['offline', 'ringing', 'available', 'busy', 'away'] as const;
export type TrayIndicator = (typeof TRAY_INDICATORS)[number];

/** A phone that cannot take calls trumps everything; then a ringing call; then the agent state. */
export function trayIndicatorFor(
  report: Pick<DeskStatusReport, 'phone' | 'agentState' | 'ringing'>,
): TrayIndicator {
  if (report.phone !== 'registered') return 'offline';
  if (report.ringing) return 'ringing';
  switch (report.agentState) {
    case 'available':
      return 'available';
    case 'on_call':
    case 'after_call_work':
      return 'busy';
    case 'away':
      return 'away';
  }
}

export interface ShownNotification {
  id: string;
  callId: string;
  title: string;
  body: string;
  actions: string[];
}

export interface NotificationAction {
  callId: string;
  action: 'answer' | 'decline';
}

export interface HotkeyPressed {
  action: HotkeyAction;
}

export { HOTKEY_ACTIONS };
