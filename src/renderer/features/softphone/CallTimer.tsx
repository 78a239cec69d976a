import { useEffect, useState } from 'react';

/** mm:ss (h:mm:ss past an hour) since `from`, ticking every second. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${String(m).padStart(2, '0')}:${rest}`;
}

export function CallTimer({ from, testId }: { from: string; testId?: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <span className="call-timer" data-testid={testId} role="timer">
      {formatDuration((now - new Date(from).getTime()) / 1000)}
    </span>
  );
}
