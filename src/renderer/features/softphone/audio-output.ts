/** HTMLMediaElement.setSinkId is not in every DOM typing yet. */
type SinkElement = HTMLMediaElement & { setSinkId?: (sinkId: string) => Promise<void> };

/**
 * Routes an audio element to an output device. An unknown or unplugged device falls back to
 * the system default rather than going silent; returns whether the chosen device is used.
 */
export async function routeAudio(element: HTMLMediaElement, deviceId: string | null): Promise<boolean> {
  const sink = element as SinkElement;
  if (!sink.setSinkId) return deviceId === null;
  try {
    await sink.setSinkId(deviceId ?? '');
    return true;
  } catch {
    await sink.setSinkId('').catch(() => undefined);
    return false;
  }
}
