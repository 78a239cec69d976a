/** Reasons the phone does not retry by itself: the agent (or a reload) has to change something. */
const NOT_RETRIED = ['rejected', 'insecure', 'policy_reload', 'policy_blocked'] as const;

export type OfflineReasonKey =
  'transport' | 'rejected' | 'unregistered' | 'unreachable' | 'insecure' | 'policyReload' | 'policyBlocked';

/** The i18n key of why the phone is offline ('rejected_403' -> 'rejected'). */
export function offlineReasonKey(reason: string | null): OfflineReasonKey {
  if (reason?.startsWith('rejected')) return 'rejected';
  if (reason === 'unregistered') return 'unregistered';
  if (reason === 'unreachable') return 'unreachable';
  if (reason === 'insecure') return 'insecure';
  if (reason === 'policy_reload') return 'policyReload';
  if (reason === 'policy_blocked') return 'policyBlocked';
  return 'transport';
}

/** True when the phone waits for the agent (or a reload) instead of reconnecting. */
export function isRetried(reason: string | null): boolean {
  return !NOT_RETRIED.some((kind) => reason?.startsWith(kind));
}
