import ringtoneUrl from '../../../../resources/ringtone.wav?url';
import { routeAudio } from './audio-output';

/**
 * The ring: a looping sound on the ringer device (the speakers, so the agent hears it with the
 * headset off), separate from the call audio. Electron's autoplay policy lets it sound without
 * a click, so the first call of the day is never silent.
 */
export class Ringtone {
  private readonly element = new Audio(ringtoneUrl);
  private playing = false;

  constructor() {
    this.element.loop = true;
  }

  async start(ringerId: string | null): Promise<boolean> {
    if (this.playing) return true;
    this.playing = true;
    const routed = await routeAudio(this.element, ringerId);
    this.element.currentTime = 0;
    await this.element.play().catch(() => undefined);
    return routed;
  }

  stop(): void {
    this.playing = false;
    this.element.pause();
  }
}
