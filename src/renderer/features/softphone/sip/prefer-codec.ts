import type { Codec } from '../../../../shared/phone-settings';

/**
 * Reorders the audio payload types of an SDP so the preferred codec comes first (the far end
 * picks the first one it supports). Codecs the SDP does not offer leave it unchanged.
 */
export function preferCodec(sdp: string, codec: Codec): string {
  const lines = sdp.split('\r\n');
  const audioIndex = lines.findIndex((line) => line.startsWith('m=audio '));
  if (audioIndex < 0) return sdp;
  const sectionEnd = lines.findIndex((line, index) => index > audioIndex && line.startsWith('m='));
  const section = lines.slice(audioIndex, sectionEnd < 0 ? undefined : sectionEnd);
  const wanted = new Set(
    section
      .map((line) => /^a=rtpmap:(\d+) ([^/]+)\//.exec(line))
      .filter(
        (match): match is RegExpExecArray =>
          match !== null && match[2]!.toLowerCase() === codec.toLowerCase(),
      )
      .map((match) => match[1]!),
  );
  if (wanted.size === 0) return sdp;
  // "m=audio <port> <proto> <payload types...>"
  const [media, port, proto, ...payloads] = lines[audioIndex]!.split(' ');
  const reordered = [...payloads.filter((pt) => wanted.has(pt)), ...payloads.filter((pt) => !wanted.has(pt))];
  lines[audioIndex] = [media, port, proto, ...reordered].join(' ');
  return lines.join('\r\n');
}
