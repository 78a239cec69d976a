/**
 * Just enough SIP message handling for the demo registrar: parse one message (as sent in one
 * websocket frame by sip.js), read and edit headers, serialise with a correct Content-Length.
 */

export interface SipRequestLine {
  kind: 'request';
  method: string;
  uri: string;
}

export interface SipStatusLine {
  kind: 'response';
  status: number;
  reason: string;
}

export interface SipMessage {
  start: SipRequestLine | SipStatusLine;
  /** Header lines in order, names as received (compact forms expanded). */
  headers: Array<{ name: string; value: string }>;
  body: string;
}

const COMPACT_NAMES: Record<string, string> = {
  v: 'Via',
  f: 'From',
  t: 'To',
  i: 'Call-ID',
  m: 'Contact',
  l: 'Content-Length',
  c: 'Content-Type',
  k: 'Supported',
  r: 'Refer-To',
  b: 'Referred-By',
};

/** Parses a SIP message, or returns null if it is not one. */
export function parseSipMessage(text: string): SipMessage | null {
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? '' : text.slice(split + 4);
  const lines = head.split('\r\n');
  const first = lines.shift() ?? '';
  let start: SipMessage['start'];
  const status = /^SIP\/2\.0 (\d{3}) (.*)$/.exec(first);
  const request = /^([A-Z]+) (\S+) SIP\/2\.0$/.exec(first);
  if (status) start = { kind: 'response', status: Number(status[1]), reason: status[2] ?? '' };
  else if (request) start = { kind: 'request', method: request[1]!, uri: request[2]! };
  else return null;
  const headers: SipMessage['headers'] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const raw = line.slice(0, colon).trim();
    headers.push({ name: COMPACT_NAMES[raw] ?? raw, value: line.slice(colon + 1).trim() });
  }
  return { start, headers, body };
}

export function serializeSipMessage(message: SipMessage): string {
  const first =
    message.start.kind === 'request'
      ? `${message.start.method} ${message.start.uri} SIP/2.0`
      : `SIP/2.0 ${message.start.status} ${message.start.reason}`;
  const headers = message.headers
    .filter((h) => h.name.toLowerCase() !== 'content-length')
    .map((h) => `${h.name}: ${h.value}`);
  headers.push(`Content-Length: ${Buffer.byteLength(message.body)}`);
  return `${first}\r\n${headers.join('\r\n')}\r\n\r\n${message.body}`;
}

export function header(message: SipMessage, name: string): string | undefined {
  const lower = name.toLowerCase();
  return message.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

/** `user@host` of the first SIP URI in a header value or a request URI. */
export function addressOf(value: string | undefined): { user: string; host: string } | null {
  const match = value ? /sips?:([^@;>\s]+)@([^;>:\s]+)/i.exec(value) : null;
  return match ? { user: match[1]!.toLowerCase(), host: match[2]!.toLowerCase() } : null;
}

/** A response to `request` that copies the headers RFC 3261 §8.2.6 says a response copies. */
export function responseTo(
  request: SipMessage,
  status: number,
  reason: string,
  extra: Array<{ name: string; value: string }> = [],
): SipMessage {
  const copied = request.headers.filter((h) =>
    ['via', 'from', 'to', 'call-id', 'cseq'].includes(h.name.toLowerCase()),
  );
  const headers = copied.map((h) =>
    // A final response from us ends the transaction: the To needs a tag.
    h.name.toLowerCase() === 'to' && !/;tag=/i.test(h.value) && status > 100
      ? { name: h.name, value: `${h.value};tag=devsip${Math.random().toString(36).slice(2, 10)}` }
      : h,
  );
  return { start: { kind: 'response', status, reason }, headers: [...headers, ...extra], body: '' };
}
