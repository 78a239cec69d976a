/** What a test reads from a peer connection (browser/read-media-stats.ts fills it in). */
export interface MediaStats {
  packetsSent: number;
  bytesSent: number;
  packetsReceived: number;
  bytesReceived: number;
  /** Sum over received samples of level² × duration (grows only while sound arrives). */
  audioEnergyReceived: number;
  /** The audio transceiver's negotiated direction ('sendrecv', 'sendonly', ...). */
  direction: string | null;
  /** The direction attribute of the remote SDP's audio section. */
  remoteSdpDirection: string | null;
}
