/** Whole minutes since `iso` (never negative), for "cached 12 min ago". */
export function minutesSince(iso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(iso).getTime()) / 60_000));
}

/** The age in the largest unit that reads naturally: minutes, then hours, then days. */
export function cacheAge(
  iso: string,
  now: Date,
): { unit: 'justNow' | 'minutes' | 'hours' | 'days'; count: number } {
  const minutes = minutesSince(iso, now);
  if (minutes < 1) return { unit: 'justNow', count: 0 };
  if (minutes < 60) return { unit: 'minutes', count: minutes };
  if (minutes < 48 * 60) return { unit: 'hours', count: Math.floor(minutes / 60) };
  return { unit: 'days', count: Math.floor(minutes / (24 * 60)) };
}
