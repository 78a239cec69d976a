import type { CallDirection } from '../../../shared/call-history';
import type { PhoneLinkState } from '../../../shared/desktop';

export type CallStatus = 'ringing' | 'dialing' | 'active' | 'held' | 'ended';

/** Why a call ended, as the agent is told. */
export type CallEndReason =
  'hung_up_here' | 'hung_up_remote' | 'rejected' | 'missed' | 'busy' | 'failed' | 'transferred';

/** A call as the UI sees it: plain data, kept in the softphone store. */
export interface PhoneCall {
  /** The SIP Call-ID. */
  id: string;
  direction: CallDirection;
  remoteNumber: string;
  remoteName: string;
  /** X- headers of the INVITE (X-Order-Id, X-Customer-Id, X-IVR-*), for screen pop. */
  headers: Record<string, string>;
  status: CallStatus;
  muted: boolean;
  /** ISO time the call started ringing or dialing. */
  startedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  endReason: CallEndReason | null;
  /** A consult call made for an attended transfer of another call. */
  consultFor: string | null;
}

export interface PhoneLink {
  state: PhoneLinkState;
  /** Why the phone is offline ('transport', 'rejected', 'no_credentials', ...), if it is. */
  reason: string | null;
  /** ISO time the state was entered. */
  since: string;
}
