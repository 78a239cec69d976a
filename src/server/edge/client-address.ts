import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** What a client whose address cannot be read (its socket already gone) is counted as. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * The reverse proxies (load balancers, TLS terminators) whose X-Forwarded-For the gateway
 * believes. Anyone can send that header; only the entries a trusted proxy added are believed.
 */
export class TrustedProxies {
  private constructor(
    private readonly list: BlockList | null,
    /** The entries as given, for logs. */
    readonly entries: readonly string[],
  ) {}

  /** No proxy trusted: the client is always the peer. */
  static readonly none = new TrustedProxies(null, []);

  /**
   * IPs and CIDRs ('10.0.0.5', '10.0.0.0/8', 'fd00::/8'). Throws an Error naming the entry that
   * is neither.
   */
  static parse(entries: readonly string[]): TrustedProxies {
    if (entries.length === 0) return TrustedProxies.none;
    const list = new BlockList();
    for (const entry of entries) {
      const [text = '', prefixText, ...extra] = entry.trim().split('/');
      const address = canonicalAddress(text);
      const family = address === null ? 0 : isIP(address);
      const maxPrefix = family === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
      if (
        address === null ||
        extra.length > 0 ||
        (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) ||
        prefix > maxPrefix
      ) {
        throw new Error(`Trusted proxy "${entry}" is not an IP address or CIDR (e.g. 10.0.0.0/8)`);
      }
      list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    }
    return new TrustedProxies(list, entries);
  }

  /** Whether `address` (canonical, see canonicalAddress) is one of the trusted proxies. */
  has(address: string): boolean {
    return this.list !== null && this.list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  }

  /** The client's address for an HTTP request or websocket upgrade. */
  clientAddressOf(request: IncomingMessage): string {
    return clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], this);
  }
}

/**
 * The client's address: the peer's, unless the peer is a trusted proxy; then the right-most
 * X-Forwarded-For entry that is not itself a trusted proxy (each proxy appends the address it
 * saw, so entries left of that one were written by the client and prove nothing). An entry
 * that is not an IP stops the walk at the last address known good; when every entry is
 * trusted, the left-most is the client.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies,
): string {
  const peerAddress = canonicalAddress(peer ?? '');
  if (peerAddress === null) return UNKNOWN_CLIENT;
  if (!trusted.has(peerAddress)) return peerAddress;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '')).split(',');
  let client = peerAddress;
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = canonicalAddress(hops[index]!);
    if (hop === null) return client;
    client = hop;
    if (!trusted.has(hop)) return hop;
  }
  return client;
}

/**
 * What a per-address limit counts by: an IPv4 address, or an IPv6 address's /64 network (one
 * subscriber's LAN usually gets a whole /64, so single IPv6 addresses cost an attacker nothing).
 */
export function addressLimitKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail] = address.split('::');
  const groupsOf = (text: string) => (text === '' ? [] : text.split(':'));
  // An embedded IPv4 tail ('64:ff9b::192.0.2.1') fills the last two groups.
  const width = (groups: string[]) => groups.reduce((sum, group) => sum + (group.includes('.') ? 2 : 1), 0);
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const zeros = tail === undefined ? [] : Array<string>(8 - width(left) - width(right)).fill('0');
  const network = [...left, ...zeros, ...right].slice(0, 4).map((group) => parseInt(group, 16).toString(16));
  return `${network.join(':')}::/64`;
}

/**
 * An IP address as the gateway compares and logs it: trimmed, without an IPv6 zone, and an
 * IPv4-mapped IPv6 address ('::ffff:10.0.0.1', what a dual-stack socket reports) as plain IPv4.
 * Null when `text` is not an IP address.
 */
export function canonicalAddress(text: string): string | null {
  const address = text.trim().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const candidate = mapped ? mapped[1]! : address;
  return isIP(candidate) === 0 ? null : candidate.toLowerCase();
}
