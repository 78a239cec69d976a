import type { AudioDevices } from '../../../../shared/phone-settings';

export type DeviceRole = 'microphone' | 'speaker' | 'ringer';

/** Which chosen devices are not among those connected now (a null choice is never missing). */
export function missingDevices(chosen: AudioDevices, connected: readonly MediaDeviceInfo[]): DeviceRole[] {
  const present = (kind: MediaDeviceKind, id: string | null) =>
    id === null || connected.some((device) => device.kind === kind && device.deviceId === id);
  const missing: DeviceRole[] = [];
  if (!present('audioinput', chosen.microphoneId)) missing.push('microphone');
  if (!present('audiooutput', chosen.speakerId)) missing.push('speaker');
  if (!present('audiooutput', chosen.ringerId)) missing.push('ringer');
  return missing;
}

/**
 * Watches for audio devices coming and going (a headset unplugged mid-call) and reports the
 * chosen ones that just went missing, once each, so the softphone falls back to the system
 * default and tells the agent. A device that comes back is reported again if it leaves again.
 */
export class DeviceWatcher {
  private reported = new Set<DeviceRole>();

  constructor(
    private readonly media: Pick<
      MediaDevices,
      'enumerateDevices' | 'addEventListener' | 'removeEventListener'
    >,
    private readonly chosen: () => AudioDevices,
    private readonly onMissing: (roles: DeviceRole[]) => void,
  ) {}

  start(): void {
    this.media.addEventListener('devicechange', this.check);
  }

  stop(): void {
    this.media.removeEventListener('devicechange', this.check);
  }

  readonly check = async (): Promise<void> => {
    const missing = missingDevices(this.chosen(), await this.media.enumerateDevices());
    const fresh = missing.filter((role) => !this.reported.has(role));
    this.reported = new Set(missing);
    if (fresh.length > 0) this.onMissing(fresh);
  };
}
