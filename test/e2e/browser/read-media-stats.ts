import type { MediaStats } from '../customer/media-stats';

const sdpDirection = (sdp: string | undefined): string | null =>
  /a=(sendrecv|sendonly|recvonly|inactive)/.exec(sdp ?? '')?.[1] ?? null;

/**
 * RTP counters both ways, the energy of the audio received and the negotiated directions of a
 * peer connection. Runs in the browser (customer pages, and the agent's page through the probe).
 */
export async function readMediaStats(peerConnection: RTCPeerConnection): Promise<MediaStats> {
  const stats: MediaStats = {
    packetsSent: 0,
    bytesSent: 0,
    packetsReceived: 0,
    bytesReceived: 0,
    audioEnergyReceived: 0,
    direction: peerConnection.getTransceivers()[0]?.currentDirection ?? null,
    remoteSdpDirection: sdpDirection(peerConnection.remoteDescription?.sdp),
  };
  const report = await peerConnection.getStats();
  report.forEach((entry: Record<string, unknown>) => {
    if (entry.kind !== 'audio') return;
    if (entry.type === 'outbound-rtp') {
      stats.packetsSent += Number(entry.packetsSent ?? 0);
      stats.bytesSent += Number(entry.bytesSent ?? 0);
    } else if (entry.type === 'inbound-rtp') {
      stats.packetsReceived += Number(entry.packetsReceived ?? 0);
      stats.bytesReceived += Number(entry.bytesReceived ?? 0);
      stats.audioEnergyReceived += Number(entry.totalAudioEnergy ?? 0);
    }
  });
  return stats;
}
