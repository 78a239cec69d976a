/**
 * Sends at most one value per interval: the first at once, then the latest one at the end of
 * the interval (pointer moves, wheel turns and keystrokes arrive far faster than the customer's
 * page needs them, and the last one is what counts).
 */
export interface Throttle<T> {
  push(value: T): void;
  /** Sends a waiting value now. */
  flush(): void;
  /** Drops a waiting value. */
  cancel(): void;
}

export function throttle<T>(send: (value: T) => void, intervalMs: number): Throttle<T> {
  let lastSentAt = Number.NEGATIVE_INFINITY;
  let waiting: { value: T } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const fire = () => {
    timer = null;
    if (!waiting) return;
    const { value } = waiting;
    waiting = null;
    lastSentAt = Date.now();
    send(value);
  };

  return {
    push(value) {
      waiting = { value };
      if (timer) return;
      const wait = lastSentAt + intervalMs - Date.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    },
    flush() {
      if (timer) clearTimeout(timer);
      fire();
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      waiting = null;
    },
  };
}
