/** Reasons the phone does not retry by itself: the agent has to change something. */
const NOT_RETRIED = ['rejected', 'insecure'] as const;

export type OfflineReasonKey = 'transport' | 'rejected' | 'unregistered' | 'unreachable' | 'insecure';

/** The i18n key of why the phone is offline ('rejected_403' -> 'rejected'). */
export function offlineReasonKey(reason: string | null): OfflineReasonKey {
  if (reason?.startsWith('rejected')) return 'rejected';
  if (reason === 'unregistered') return 'unregistered';
  if (reason === 'unreachable') return 'unreachable';
  if (reason === 'insecure') return 'insecure';
  return 'transport';
}

/** True when the phone waits for the agent instead of reconnecting. */
export function isRetried(reason: string | null): boolean {
  return !NOT_RETRIED.some((kind) => reason?.startsWith(kind));
}
