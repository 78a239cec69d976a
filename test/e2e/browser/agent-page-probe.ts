/**
 * Injected into the agent's page before any app script (page.addInitScript): records every
 * RTCPeerConnection the softphone creates and the outcome of every media play(), so tests read
 * real media stats and see whether a sound was allowed to start, without the app exposing
 * anything for them.
 */
import type { MediaStats } from '../customer/media-stats';
import { readMediaStats } from './read-media-stats';

const created: RTCPeerConnection[] = [];
const Native = window.RTCPeerConnection;

window.RTCPeerConnection = class RecordedPeerConnection extends Native {
  constructor(configuration?: RTCConfiguration) {
    super(configuration);
    created.push(this);
  }
};

/** Each play() of an element with a src (the ringtone): whether the browser let it start. */
const plays: Array<{ src: string; started: boolean; error: string | null }> = [];
const nativePlay = HTMLMediaElement.prototype.play;
HTMLMediaElement.prototype.play = function recordedPlay(this: HTMLMediaElement) {
  const result = nativePlay.call(this);
  if (this.src) {
    const entry = { src: this.src, started: false, error: null as string | null };
    plays.push(entry);
    result.then(
      () => (entry.started = true),
      (err: unknown) => (entry.error = err instanceof Error ? err.name : String(err)),
    );
  }
  return result;
};

declare global {
  interface Window {
    peerConnectionProbe: {
      count(): number;
      plays(): typeof plays;
      /** The ICE server URLs the newest connection was configured with. */
      iceServerUrls(): string[];
      /** Stats of the n-th connection created (default: the newest that is not closed). */
      stats(index?: number): Promise<MediaStats | null>;
    };
  }
}

window.peerConnectionProbe = {
  count: () => created.length,
  plays: () => plays,
  iceServerUrls: () => (created.at(-1)?.getConfiguration().iceServers ?? []).flatMap((server) => server.urls),
  stats: async (index) => {
    const target =
      index === undefined
        ? [...created].reverse().find((pc) => pc.connectionState !== 'closed')
        : created[index];
    return target ? readMediaStats(target) : null;
  },
};
