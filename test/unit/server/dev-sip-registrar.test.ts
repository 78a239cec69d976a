import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEV_SIP_PATH } from '../../../src/server/demo/sip/dev-sip-registrar';
import { parseSipMessage, type SipMessage } from '../../../src/server/demo/sip/sip-message';
import type { Gateway } from '../../../src/server/gateway';
import { makeTempDir } from './support/temp-dir';
import { startTestGateway } from './support/test-gateway';

/** A raw SIP-over-WebSocket peer that records what it receives. */
class SipPeer {
  readonly received: SipMessage[] = [];
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = parseSipMessage(data.toString());
      if (message) this.received.push(message);
    });
  }

  static async connect(url: string): Promise<SipPeer> {
    const socket = new WebSocket(url, 'sip');
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    expect(socket.protocol).toBe('sip');
    return new SipPeer(socket);
  }

  send(lines: string[], body = ''): void {
    this.socket.send(`${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  async next(predicate: (m: SipMessage) => boolean = () => true): Promise<SipMessage> {
    for (let i = 0; i < 100; i += 1) {
      const found = this.received.find(predicate);
      if (found) {
        this.received.splice(this.received.indexOf(found), 1);
        return found;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('no SIP message arrived');
  }
}

const statusOf = (m: SipMessage) => (m.start.kind === 'response' ? m.start.status : null);
const headerValues = (m: SipMessage, name: string) =>
  m.headers.filter((h) => h.name.toLowerCase() === name.toLowerCase()).map((h) => h.value);

function register(peer: SipPeer, user: string, expires = 600): void {
  peer.send([
    `REGISTER sip:demo.invalid SIP/2.0`,
    `Via: SIP/2.0/WSS ${user}.invalid;branch=z9hG4bKreg${user}${expires}`,
    `Max-Forwards: 70`,
    `From: <sip:${user}@demo.invalid>;tag=f${user}`,
    `To: <sip:${user}@demo.invalid>`,
    `Call-ID: reg-${user}`,
    `CSeq: ${expires === 0 ? 2 : 1} REGISTER`,
    `Contact: <sip:${user}x@${user}.invalid;transport=ws>;expires=${expires}`,
  ]);
}

function invite(peer: SipPeer, from: string, to: string, branch: string): void {
  peer.send(
    [
      `INVITE sip:${to}@demo.invalid SIP/2.0`,
      `Via: SIP/2.0/WSS ${from}.invalid;branch=${branch}`,
      `Max-Forwards: 70`,
      `From: <sip:${from}@demo.invalid>;tag=f${from}`,
      `To: <sip:${to}@demo.invalid>`,
      `Call-ID: call-${branch}`,
      `CSeq: 1 INVITE`,
      `Contact: <sip:${from}x@${from}.invalid;transport=ws>`,
      `X-Order-Id: ord_42`,
      `Content-Type: application/sdp`,
    ],
    'v=0\r\n',
  );
}

describe('demo-only SIP registrar', () => {
  const dir = makeTempDir();
  let gateway: Gateway;
  let sipUrl: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ dbPath: join(dir.path, 'gw.db'), devSip: true });
    sipUrl = `${gateway.url}${DEV_SIP_PATH}`;
  });
  afterAll(async () => {
    await gateway.close();
    dir.remove();
  });

  it('registers a user and answers 200 with the bound contact', async () => {
    const alice = await SipPeer.connect(sipUrl);
    register(alice, '1001');
    const ok = await alice.next();
    expect(statusOf(ok)).toBe(200);
    expect(headerValues(ok, 'Contact')[0]).toContain('expires=600');
    expect(headerValues(ok, 'To')[0]).toMatch(/;tag=/);
    alice.socket.close();
  });

  it('routes an INVITE to the callee with its own Via on top, and the answer back without it', async () => {
    const alice = await SipPeer.connect(sipUrl);
    const bob = await SipPeer.connect(sipUrl);
    register(alice, '2001');
    register(bob, '2002');
    await alice.next();
    await bob.next();

    invite(alice, '2001', '2002', 'z9hG4bKinv1');
    const forwarded = await bob.next((m) => m.start.kind === 'request');
    expect(forwarded.start).toMatchObject({ kind: 'request', method: 'INVITE' });
    const vias = headerValues(forwarded, 'Via');
    expect(vias).toHaveLength(2);
    expect(vias[0]).toContain('devsip.invalid');
    expect(headerValues(forwarded, 'Max-Forwards')).toEqual(['69']);
    expect(headerValues(forwarded, 'X-Order-Id')).toEqual(['ord_42']);
    expect(forwarded.body).toBe('v=0\r\n');

    // Bob answers: the response travels back along the Via chain.
    bob.socket.send(
      [
        'SIP/2.0 180 Ringing',
        ...vias.map((via) => `Via: ${via}`),
        'From: <sip:2001@demo.invalid>;tag=f2001',
        'To: <sip:2002@demo.invalid>;tag=t2002',
        'Call-ID: call-z9hG4bKinv1',
        'CSeq: 1 INVITE',
        'Contact: <sip:2002x@2002.invalid;transport=ws>',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    const ringing = await alice.next((m) => statusOf(m) === 180);
    expect(headerValues(ringing, 'Via')).toEqual(['SIP/2.0/WSS 2001.invalid;branch=z9hG4bKinv1']);

    // An in-dialog request addressed to Bob's contact reaches Bob.
    alice.send([
      'BYE sip:2002x@2002.invalid;transport=ws SIP/2.0',
      'Via: SIP/2.0/WSS 2001.invalid;branch=z9hG4bKbye1',
      'Max-Forwards: 70',
      'From: <sip:2001@demo.invalid>;tag=f2001',
      'To: <sip:2002@demo.invalid>;tag=t2002',
      'Call-ID: call-z9hG4bKinv1',
      'CSeq: 2 BYE',
    ]);
    expect((await bob.next((m) => m.start.kind === 'request')).start).toMatchObject({ method: 'BYE' });
    alice.socket.close();
    bob.socket.close();
  });

  it('answers 404 for a user that is not registered, and forgets users that unregister or leave', async () => {
    const carol = await SipPeer.connect(sipUrl);
    invite(carol, '3001', '3999', 'z9hG4bKnobody');
    expect(statusOf(await carol.next())).toBe(404);

    const dave = await SipPeer.connect(sipUrl);
    register(dave, '3002');
    await dave.next();
    register(dave, '3002', 0);
    expect(statusOf(await dave.next())).toBe(200);
    invite(carol, '3001', '3002', 'z9hG4bKgone1');
    expect(statusOf(await carol.next())).toBe(404);

    const erin = await SipPeer.connect(sipUrl);
    register(erin, '3003');
    await erin.next();
    erin.socket.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    invite(carol, '3001', '3003', 'z9hG4bKgone2');
    expect(statusOf(await carol.next())).toBe(404);
    carol.socket.close();
    dave.socket.close();
  });

  it('is not there unless asked for', async () => {
    const plain = await startTestGateway({ dbPath: join(dir.path, 'plain.db') });
    const socket = new WebSocket(`${plain.url}${DEV_SIP_PATH}`, 'sip');
    const failure = await new Promise<string>((resolve) => {
      socket.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      socket.once('open', () => resolve('open'));
      socket.once('error', (err) => resolve(err.message));
    });
    expect(failure).toBe('404');
    await plain.close();
  });
});
