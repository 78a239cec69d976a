import { describe, expect, it } from 'vitest';
import { ConnectionLimits, type Admission } from '../../../../src/server/edge/connection-limits';

function admitted(admission: Admission): () => void {
  if (!admission.admitted) throw new Error(`refused: ${admission.refusal}`);
  return admission.release;
}

describe('ConnectionLimits', () => {
  it('refuses a connection over the per-address cap, and admits it again once one closes', () => {
    const limits = new ConnectionLimits({ maxConnections: 10, maxConnectionsPerAddress: 2 });
    const first = admitted(limits.admit('203.0.113.7'));
    admitted(limits.admit('203.0.113.7'));
    expect(limits.admit('203.0.113.7')).toEqual({ admitted: false, refusal: 'address_cap' });
    admitted(limits.admit('198.51.100.1'));
    first();
    admitted(limits.admit('203.0.113.7'));
    expect(limits.openConnections).toBe(3);
  });

  it('refuses any connection over the total cap, the demo SIP sockets (no address) included', () => {
    const limits = new ConnectionLimits({ maxConnections: 3, maxConnectionsPerAddress: 5 });
    admitted(limits.admit('203.0.113.7'));
    const sip = admitted(limits.admit(null));
    admitted(limits.admit(null));
    expect(limits.admit('198.51.100.1')).toEqual({ admitted: false, refusal: 'total_cap' });
    expect(limits.admit(null)).toEqual({ admitted: false, refusal: 'total_cap' });
    sip();
    admitted(limits.admit('198.51.100.1'));
  });

  it('counts an IPv6 client per /64', () => {
    const limits = new ConnectionLimits({ maxConnections: 10, maxConnectionsPerAddress: 2 });
    admitted(limits.admit('2001:db8:1:2::1'));
    admitted(limits.admit('2001:db8:1:2::ffff'));
    expect(limits.admit('2001:db8:1:2:abcd::9')).toEqual({ admitted: false, refusal: 'address_cap' });
    admitted(limits.admit('2001:db8:1:3::1'));
  });

  it('releases a connection once however often its release runs', () => {
    const limits = new ConnectionLimits({ maxConnections: 10, maxConnectionsPerAddress: 1 });
    const release = admitted(limits.admit('203.0.113.7'));
    admitted(limits.admit('198.51.100.1'));
    release();
    release();
    expect(limits.openConnections).toBe(1);
    admitted(limits.admit('203.0.113.7'));
    expect(limits.admit('198.51.100.1')).toEqual({ admitted: false, refusal: 'address_cap' });
  });

  it('refuses caps that are not positive integers', () => {
    expect(() => new ConnectionLimits({ maxConnections: 0, maxConnectionsPerAddress: 1 })).toThrow(
      'maxConnections must be a positive integer',
    );
    expect(() => new ConnectionLimits({ maxConnections: 5, maxConnectionsPerAddress: 1.5 })).toThrow(
      'maxConnectionsPerAddress must be a positive integer',
    );
  });
});
