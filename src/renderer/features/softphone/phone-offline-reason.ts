/** The i18n key of why the phone is offline ('rejected_403' -> 'rejected'). */
export function offlineReasonKey(
  reason: string | null,
): 'transport' | 'rejected' | 'unregistered' | 'unreachable' {
  if (reason?.startsWith('rejected')) return 'rejected';
  if (reason === 'unregistered') return 'unregistered';
  if (reason === 'unreachable') return 'unreachable';
  return 'transport';
}
