import type { MediaStats } from './media-stats';

/** Reads stats twice, `windowMs` apart, and returns what changed: is media flowing right now? */
export async function mediaDelta(
  read: () => Promise<MediaStats | null>,
  windowMs = 1200,
): Promise<{
  packetsSent: number;
  packetsReceived: number;
  bytesSent: number;
  bytesReceived: number;
  energy: number;
  after: MediaStats;
}> {
  const before = await read();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = await read();
  if (!before || !after) throw new Error('no peer connection to read stats from');
  return {
    packetsSent: after.packetsSent - before.packetsSent,
    packetsReceived: after.packetsReceived - before.packetsReceived,
    bytesSent: after.bytesSent - before.bytesSent,
    bytesReceived: after.bytesReceived - before.bytesReceived,
    energy: after.audioEnergyReceived - before.audioEnergyReceived,
    after,
  };
}
