import { useEffect, useState } from 'react';
import { formatDuration } from '../softphone/CallTimer';

/** Time left of after-call work. */
export function AcwCountdown({ endsAt }: { endsAt: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <span className="call-timer" data-testid="acw-countdown" role="timer">
      {formatDuration(Math.ceil((new Date(endsAt).getTime() - now) / 1000))}
    </span>
  );
}
