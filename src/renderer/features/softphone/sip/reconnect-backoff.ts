/**
 * Delay before the n-th reconnection attempt of the SIP websocket (n from 0): short at first,
 * capped low, because a PBX that is back must see the agent re-registered within seconds; the
 * jitter spreads a whole floor of agents reconnecting after the same restart.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(2000, 250 * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}
