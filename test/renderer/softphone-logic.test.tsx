import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/renderer/features/softphone/CallTimer';
import { hotkeyLabel } from '../../src/renderer/features/softphone/hotkey-label';
import { offlineReasonKey } from '../../src/renderer/features/softphone/phone-offline-reason';
import { extensionHeaders, orderIdOf } from '../../src/renderer/features/softphone/sip/call-headers';
import { preferCodec } from '../../src/renderer/features/softphone/sip/prefer-codec';
import { reconnectDelayMs } from '../../src/renderer/features/softphone/sip/reconnect-backoff';
import { formatIceServers, parseIceServers } from '../../src/renderer/features/settings/ice-servers-text';

const SDP = [
  'v=0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 9 0 8 126',
  'a=rtpmap:111 opus/48000/2',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:126 telephone-event/8000',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=rtpmap:96 VP8/90000',
  '',
].join('\r\n');

describe('codec preference', () => {
  it('moves the preferred codec to the front of the audio line only', () => {
    const sdp = preferCodec(SDP, 'PCMU');
    expect(sdp).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 0 111 9 8 126');
    expect(sdp).toContain('m=video 9 UDP/TLS/RTP/SAVPF 96');
  });
  it('leaves an SDP without that codec alone', () => {
    expect(preferCodec(SDP.replace('a=rtpmap:9 G722/8000\r\n', ''), 'G722')).toBe(
      SDP.replace('a=rtpmap:9 G722/8000\r\n', ''),
    );
  });
});

describe('call headers', () => {
  it('keeps the X- headers, trimmed, and finds the order id whatever its case', () => {
    const headers = extensionHeaders({
      'X-Order-Id': [{ raw: ' DM-1001 ' }],
      'X-Ivr-Choice': [{ raw: 'returns' }],
      From: [{ raw: '<sip:3001@pbx>' }],
    });
    expect(headers).toEqual({ 'X-Order-Id': 'DM-1001', 'X-Ivr-Choice': 'returns' });
    expect(orderIdOf({ 'x-order-id': 'A1' })).toBe('A1');
    expect(orderIdOf({})).toBeNull();
  });
});

describe('reconnect backoff', () => {
  it('starts at a quarter second and caps at two seconds, with jitter', () => {
    expect(reconnectDelayMs(0, () => 0.5)).toBe(250);
    expect(reconnectDelayMs(2, () => 0.5)).toBe(1000);
    expect(reconnectDelayMs(10, () => 0.5)).toBe(2000);
    expect(reconnectDelayMs(10, () => 1)).toBe(2400);
    expect(reconnectDelayMs(10, () => 0)).toBe(1600);
  });
});

describe('ICE servers as text', () => {
  it('parses STUN and TURN lines and formats them back', () => {
    const text = 'stun:stun.example.com:3478\nturn:turn.example.com:3478 agent s3cret';
    const servers = parseIceServers(text);
    expect(servers).toEqual([
      { urls: ['stun:stun.example.com:3478'] },
      { urls: ['turn:turn.example.com:3478'], username: 'agent', credential: 's3cret' },
    ]);
    expect(formatIceServers(servers!)).toBe(text);
    expect(parseIceServers('')).toEqual([]);
  });
  it.each(['http://stun.example.com', 'turn:t.example.com user', 'stun:a b c d'])('refuses %s', (line) => {
    expect(parseIceServers(line)).toBeNull();
  });
});

describe('small formatters', () => {
  it('formats call durations', () => {
    expect(formatDuration(0)).toBe('00:00');
    expect(formatDuration(75)).toBe('01:15');
    expect(formatDuration(3725)).toBe('1:02:05');
  });
  it('shows accelerators as the agent types them', () => {
    expect(hotkeyLabel('CommandOrControl+Shift+A')).toMatch(/^(Ctrl|⌘)\+Shift\+A$/);
    expect(hotkeyLabel('Control+Option+F9')).toBe('Ctrl+Alt+F9');
  });
  it('maps offline reasons', () => {
    expect(offlineReasonKey('rejected_403')).toBe('rejected');
    expect(offlineReasonKey('closed')).toBe('transport');
    expect(offlineReasonKey(null)).toBe('transport');
  });
});
