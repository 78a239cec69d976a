import { describe, expect, it } from 'vitest';
import {
  DeviceWatcher,
  missingDevices,
  type DeviceRole,
} from '../../src/renderer/features/softphone/devices/DeviceWatcher';

const device = (kind: MediaDeviceKind, deviceId: string) =>
  ({ kind, deviceId, label: deviceId }) as MediaDeviceInfo;

/** navigator.mediaDevices as far as the watcher uses it, with devices to plug and unplug. */
class FakeMediaDevices extends EventTarget {
  devices: MediaDeviceInfo[] = [];
  enumerateDevices = async () => [...this.devices];
  unplug(deviceId: string) {
    this.devices = this.devices.filter((d) => d.deviceId !== deviceId);
    this.dispatchEvent(new Event('devicechange'));
  }
  plug(info: MediaDeviceInfo) {
    this.devices.push(info);
    this.dispatchEvent(new Event('devicechange'));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('audio device fallback', () => {
  const chosen = { microphoneId: 'headset-mic', speakerId: 'headset', ringerId: 'speakers' };

  it('finds the chosen devices that are not connected; the system default is never missing', () => {
    expect(
      missingDevices(chosen, [device('audioinput', 'headset-mic'), device('audiooutput', 'speakers')]),
    ).toEqual(['speaker']);
    expect(missingDevices({ microphoneId: null, speakerId: null, ringerId: null }, [])).toEqual([]);
  });

  it('reports a headset unplugged mid-call once, and again after it is plugged back and pulled again', async () => {
    const media = new FakeMediaDevices();
    media.devices = [
      device('audioinput', 'headset-mic'),
      device('audiooutput', 'headset'),
      device('audiooutput', 'speakers'),
    ];
    const reports: DeviceRole[][] = [];
    const watcher = new DeviceWatcher(
      media,
      () => chosen,
      (roles) => reports.push(roles),
    );
    watcher.start();

    media.unplug('headset-mic');
    media.unplug('headset');
    await settle();
    expect(reports).toEqual([['microphone'], ['speaker']]);

    media.plug(device('audiooutput', 'usb-dongle'));
    await settle();
    expect(reports).toHaveLength(2);

    media.plug(device('audioinput', 'headset-mic'));
    await settle();
    media.unplug('headset-mic');
    await settle();
    expect(reports.at(-1)).toEqual(['microphone']);

    watcher.stop();
    media.unplug('speakers');
    await settle();
    expect(reports).toHaveLength(3);
  });
});
