import { routeAudio } from './audio-output';

/** Plays the far end of the current call on the speaker (headset) device. */
export class CallAudio {
  private readonly element = document.createElement('audio');

  constructor() {
    this.element.autoplay = true;
  }

  async play(stream: MediaStream | null, speakerId: string | null): Promise<boolean> {
    const routed = await routeAudio(this.element, speakerId);
    if (this.element.srcObject !== stream) this.element.srcObject = stream;
    if (stream) await this.element.play().catch(() => undefined);
    return routed;
  }

  stop(): void {
    this.element.srcObject = null;
  }
}
