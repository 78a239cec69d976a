import { describe, expect, it } from 'vitest';
import {
  isLoopbackHost,
  refuseInsecureWebSocket,
  webSocketOrigin,
  webSocketUrlProblem,
} from '../../../src/shared/transport';

describe('transport: wss:// anywhere, ws:// to this computer only', () => {
  it.each([
    'wss://gateway.example.com/v1/agent',
    'wss://10.0.0.5:8443/v1/agent',
    'ws://127.0.0.1:8787/v1/agent',
    'ws://127.8.9.10/ws',
    'ws://127.1:5066/ws', // the URL parser makes it 127.0.0.1
    'ws://0x7f000001/ws',
    'ws://localhost:8787/v1/agent',
    'ws://LOCALHOST/ws',
    'ws://[::1]:5066/ws',
    'ws://[0:0:0:0:0:0:0:1]/ws',
    ' wss://pbx.example.com/ws ',
  ])('accepts %s', (url) => {
    expect(webSocketUrlProblem(url)).toBeNull();
    expect(() => refuseInsecureWebSocket('gateway', url)).not.toThrow();
  });

  it.each([
    'ws://gateway.example.com/v1/agent',
    'ws://10.0.0.5:8787/v1/agent',
    'ws://192.168.1.20/ws',
    'ws://128.0.0.1/ws',
    'ws://[fd00::5]/ws',
    'ws://[::ffff:127.0.0.1]/ws', // not literally loopback: refused rather than guessed
    'ws://localhost.example.com/ws',
    'ws://127.0.0.1.nip.io/ws',
    'ws://localhost./ws',
  ])('refuses %s as insecure', (url) => {
    expect(webSocketUrlProblem(url)).toBe('insecure');
    expect(() => refuseInsecureWebSocket('gateway', url)).toThrow(
      expect.objectContaining({ code: 'INSECURE_TRANSPORT' }),
    );
  });

  it.each([
    '',
    'gateway.example.com',
    'https://gateway.example.com',
    'http://127.0.0.1',
    'wss://',
    'ftp://127.0.0.1/',
  ])('says %j is not a websocket address (and leaves that to the form)', (url) => {
    expect(webSocketUrlProblem(url)).toBe('not_websocket');
    expect(() => refuseInsecureWebSocket('gateway', url)).not.toThrow();
  });

  it('knows loopback hosts as the URL parser writes them', () => {
    expect(['localhost', '127.0.0.1', '127.255.255.254', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['::1', '0.0.0.0', '10.0.0.1', 'localhost.localdomain'].some(isLoopbackHost)).toBe(false);
  });

  it('gives the origin of an address the desk may use, and none for one it may not', () => {
    expect(webSocketOrigin('wss://PBX.example.com:8089/ws?x=1')).toBe('wss://pbx.example.com:8089');
    expect(webSocketOrigin('wss://pbx.example.com:443/ws')).toBe('wss://pbx.example.com');
    expect(webSocketOrigin('ws://[::1]:5066/ws')).toBe('ws://[::1]:5066');
    expect(webSocketOrigin('ws://pbx.example.com/ws')).toBeNull();
    expect(webSocketOrigin('')).toBeNull();
  });
});
