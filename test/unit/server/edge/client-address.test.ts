import { describe, expect, it } from 'vitest';
import {
  TrustedProxies,
  UNKNOWN_CLIENT,
  addressLimitKey,
  canonicalAddress,
  clientAddress,
} from '../../../../src/server/edge/client-address';

const proxies = TrustedProxies.parse(['10.0.0.0/8', '192.0.2.10', 'fd00::/8']);

describe('clientAddress', () => {
  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('203.0.113.7', '198.51.100.1', TrustedProxies.none)).toBe('203.0.113.7');
    expect(clientAddress('10.1.2.3', '198.51.100.1', TrustedProxies.none)).toBe('10.1.2.3');
  });

  it('is the peer when the peer is not a trusted proxy (a forged header proves nothing)', () => {
    expect(clientAddress('203.0.113.7', '198.51.100.1', proxies)).toBe('203.0.113.7');
  });

  it('behind a trusted proxy, is the right-most forwarded address that is not a trusted proxy', () => {
    // The client wrote '1.1.1.1' itself; the proxy appended what it saw.
    expect(clientAddress('10.0.0.5', '1.1.1.1, 198.51.100.23', proxies)).toBe('198.51.100.23');
    // Two trusted hops (an edge balancer, then an internal proxy).
    expect(clientAddress('10.0.0.5', '1.1.1.1, 198.51.100.23, 192.0.2.10', proxies)).toBe('198.51.100.23');
    expect(clientAddress('fd00::1', '2001:db8::42', proxies)).toBe('2001:db8::42');
  });

  it('reads repeated X-Forwarded-For headers as one list', () => {
    expect(clientAddress('10.0.0.5', ['1.1.1.1', '198.51.100.23, 10.9.9.9'], proxies)).toBe('198.51.100.23');
  });

  it('stops at an entry that is not an address and keeps the last one known good', () => {
    expect(clientAddress('10.0.0.5', '198.51.100.23, unknown', proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '198.51.100.23, 198.51.100.99:443', proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', 'garbage, 10.0.0.6', proxies)).toBe('10.0.0.6');
  });

  it('is the trusted proxy itself without a header, and the left-most hop when every hop is trusted', () => {
    expect(clientAddress('10.0.0.5', undefined, proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '', proxies)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '10.0.0.7, 192.0.2.10', proxies)).toBe('10.0.0.7');
  });

  it('reads an IPv4-mapped IPv6 peer (a dual-stack socket) as IPv4', () => {
    expect(clientAddress('::ffff:10.0.0.5', '198.51.100.23', proxies)).toBe('198.51.100.23');
    expect(clientAddress('::FFFF:203.0.113.7', undefined, TrustedProxies.none)).toBe('203.0.113.7');
  });

  it('is "unknown" for a socket whose address is gone', () => {
    expect(clientAddress(undefined, '198.51.100.23', proxies)).toBe(UNKNOWN_CLIENT);
  });
});

describe('TrustedProxies.parse', () => {
  it('takes IPs and CIDRs of both families', () => {
    expect(proxies.has('10.255.0.1')).toBe(true);
    expect(proxies.has('11.0.0.1')).toBe(false);
    expect(proxies.has('192.0.2.10')).toBe(true);
    expect(proxies.has('192.0.2.11')).toBe(false);
    expect(proxies.has('fd12:3456::1')).toBe(true);
    expect(proxies.has('2001:db8::1')).toBe(false);
    expect(TrustedProxies.parse(['::ffff:127.0.0.1']).has('127.0.0.1')).toBe(true);
    expect(TrustedProxies.parse(['0.0.0.0/0']).has('203.0.113.7')).toBe(true);
  });

  it.each([
    'localhost',
    '10.0.0.0/33',
    '10.0.0.0/',
    '10.0.0.0/8/8',
    '10.0.0.0/-1',
    'fd00::/129',
    '300.1.1.1',
  ])('refuses %j with a message naming it', (entry) => {
    expect(() => TrustedProxies.parse([entry])).toThrow(
      `Trusted proxy "${entry}" is not an IP address or CIDR`,
    );
  });
});

describe('addressLimitKey', () => {
  it('counts IPv4 per address and IPv6 per /64, however the address is written', () => {
    expect(addressLimitKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressLimitKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressLimitKey('2001:DB8:1:2:bbbb:0:0:9')).toBe('2001:db8:1:2::/64');
    expect(addressLimitKey('2001:0db8:0001:0002::')).toBe('2001:db8:1:2::/64');
    expect(addressLimitKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressLimitKey('::1')).toBe('0:0:0:0::/64');
    expect(addressLimitKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });
});

describe('canonicalAddress', () => {
  it('trims, lower-cases, drops an IPv6 zone and unmaps IPv4; null for anything else', () => {
    expect(canonicalAddress(' 198.51.100.23 ')).toBe('198.51.100.23');
    expect(canonicalAddress('FE80::1%eth0')).toBe('fe80::1');
    expect(canonicalAddress('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalAddress('unknown')).toBeNull();
    expect(canonicalAddress('[::1]')).toBeNull();
    expect(canonicalAddress('')).toBeNull();
  });
});
