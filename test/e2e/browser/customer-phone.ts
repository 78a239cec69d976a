/**
 * The customer's phone: a page with its own sip.js user agent, driven by the tests through
 * `window.customer` (page.evaluate). Bundled by esbuild and served by customer-site.ts.
 */
import {
  type Invitation,
  Inviter,
  Registerer,
  RegistererState,
  SIPExtension,
  SessionState,
  UserAgent,
  type Session,
  type SessionDescriptionHandlerModifier,
  type Web,
} from 'sip.js';
import { listenForDtmf } from './dtmf-detector';
import type { MediaStats } from '../customer/media-stats';
import { readMediaStats } from './read-media-stats';

export interface RegisterOptions {
  wsUrl: string;
  domain: string;
  user: string;
  displayName: string;
  /** False: answer without RFC 4733 telephone-events, like an old gateway (DTMF must come as SIP INFO). */
  telephoneEvent?: boolean;
}

/** Removes telephone-event from the audio section of our SDP. */
const withoutTelephoneEvent: SessionDescriptionHandlerModifier = async (description) => {
  const sdp = description.sdp ?? '';
  const payloads = [...sdp.matchAll(/a=rtpmap:(\d+) telephone-event\//g)].map((match) => match[1]!);
  const kept = sdp
    .split('\r\n')
    .filter((line) => !payloads.some((pt) => new RegExp(`^a=(rtpmap|fmtp):${pt} `).test(line)))
    .map((line) =>
      line.startsWith('m=audio ')
        ? line
            .split(' ')
            .filter((part, index) => index < 3 || !payloads.includes(part))
            .join(' ')
        : line,
    );
  return { ...description, sdp: kept.join('\r\n') };
};

export type CustomerCallState = 'idle' | 'ringing' | 'calling' | 'established' | 'ended';

class CustomerPhone {
  private userAgent: UserAgent | null = null;
  private registerer: Registerer | null = null;
  private session: Session | null = null;
  private incoming: Invitation | null = null;
  private stopDtmf: (() => void) | null = null;
  private readonly audio = document.createElement('audio');
  private domain = '';
  private modifiers: SessionDescriptionHandlerModifier[] = [];
  /** Keys heard in the received audio (RFC 4733 played out as tones). */
  heardDtmf = '';
  /** Keys received as SIP INFO (application/dtmf-relay). */
  infoDtmf = '';
  /** Every state the current call went through, and how the last one ended. */
  log: string[] = [];
  /** X- headers of the last incoming INVITE. */
  incomingHeaders: Record<string, string> = {};
  incomingFrom = '';

  constructor() {
    this.audio.autoplay = true;
    document.body.append(this.audio);
  }

  async register(options: RegisterOptions): Promise<void> {
    this.domain = options.domain;
    this.modifiers = options.telephoneEvent === false ? [withoutTelephoneEvent] : [];
    const userAgent = new UserAgent({
      uri: UserAgent.makeURI(`sip:${options.user}@${options.domain}`),
      displayName: options.displayName,
      transportOptions: { server: options.wsUrl },
      logLevel: 'error',
      sipExtensionReplaces: SIPExtension.Supported,
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: [] },
        iceGatheringTimeout: 500,
      },
      delegate: { onInvite: (invitation) => this.onInvite(invitation) },
    });
    this.userAgent = userAgent;
    await userAgent.start();
    this.registerer = new Registerer(userAgent, { expires: 300 });
    await new Promise<void>((resolve, reject) => {
      this.registerer!.stateChange.addListener((state) => {
        if (state === RegistererState.Registered) resolve();
        if (state === RegistererState.Terminated) reject(new Error('registration terminated'));
      });
      void this.registerer!.register({
        requestDelegate: {
          onReject: (response) => reject(new Error(`REGISTER ${response.message.statusCode}`)),
        },
      });
    });
  }

  async unregister(): Promise<void> {
    await this.registerer?.unregister();
    await this.userAgent?.stop();
  }

  state(): CustomerCallState {
    if (this.incoming && this.incoming.state === SessionState.Initial) return 'ringing';
    if (!this.session) return 'idle';
    switch (this.session.state) {
      case SessionState.Initial:
      case SessionState.Establishing:
        return 'calling';
      case SessionState.Established:
        return 'established';
      default:
        return 'ended';
    }
  }

  /** Calls `target` (a user at the same domain) with extra headers such as X-Order-Id. */
  async call(target: string, headers: Record<string, string> = {}): Promise<void> {
    const uri = UserAgent.makeURI(`sip:${target}@${this.domain}`);
    if (!uri || !this.userAgent) throw new Error('not registered');
    const inviter = new Inviter(this.userAgent, uri, {
      extraHeaders: Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
      sessionDescriptionHandlerModifiers: this.modifiers,
    });
    this.adopt(inviter);
    await inviter.invite({
      requestDelegate: { onReject: (response) => this.log.push(`rejected ${response.message.statusCode}`) },
    });
  }

  /** Resolves once the call is established (or rejects with how it ended). */
  async waitEstablished(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.state() === 'established') return;
      if (this.state() === 'ended') throw new Error(`call ended: ${this.log.join(' > ')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`call not established after ${timeoutMs} ms: ${this.log.join(' > ')}`);
  }

  async answer(): Promise<void> {
    const invitation = this.incoming;
    if (!invitation) throw new Error('nothing is ringing');
    this.incoming = null;
    this.adopt(invitation);
    await invitation.accept({
      sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
      sessionDescriptionHandlerModifiers: this.modifiers,
    });
  }

  async hangUp(): Promise<void> {
    const session = this.session;
    if (!session) return;
    if (session.state === SessionState.Established) await session.bye();
    else if (session instanceof Inviter && session.state === SessionState.Establishing)
      await session.cancel();
  }

  sendDtmf(tones: string): boolean {
    const handler = this.session?.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
    return handler?.sendDtmf(tones, { duration: 160, interToneGap: 120 }) ?? false;
  }

  async stats(): Promise<MediaStats | null> {
    const handler = this.session?.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
    return handler?.peerConnection ? readMediaStats(handler.peerConnection) : null;
  }

  private onInvite(invitation: Invitation): void {
    this.incomingFrom = invitation.remoteIdentity.uri.user ?? '';
    this.incomingHeaders = {};
    for (const [name, values] of Object.entries(invitation.request.headers)) {
      if (name.toLowerCase().startsWith('x-')) this.incomingHeaders[name] = values[0]?.raw ?? '';
    }
    // An attended transfer's INVITE with Replaces takes over the consult call at once.
    const replacee = invitation.replacee;
    if (replacee) {
      this.adopt(invitation);
      void invitation
        .accept({ sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } } })
        .then(() => (replacee.state === SessionState.Established ? replacee.bye() : undefined));
      return;
    }
    this.log = ['ringing'];
    this.incoming = invitation;
    invitation.stateChange.addListener((state) => {
      if (state === SessionState.Terminated && this.incoming === invitation) {
        this.incoming = null;
        this.log.push('cancelled');
      }
    });
  }

  /** Makes `session` the current call: logs its states, plays its audio, listens for DTMF. */
  private adopt(session: Session): void {
    this.session = session;
    this.log = [...this.log.filter((entry) => entry === 'ringing'), 'adopted'];
    session.delegate = {
      onInfo: (info) => {
        const signal = /Signal=\s*(\S)/i.exec(info.request.body)?.[1];
        if (signal) this.infoDtmf += signal;
        void info.accept();
      },
      // Blind or attended transfer: follow the REFER with a new call, then leave the old one.
      onRefer: (referral) => {
        void referral.accept().then(() => {
          const inviter = referral.makeInviter({
            sessionDescriptionHandlerOptions: { constraints: { audio: true, video: false } },
          });
          const previous = this.session;
          this.adopt(inviter);
          this.log.push('referred');
          void inviter.invite({
            requestDelegate: {
              onReject: (response) => this.log.push(`rejected ${response.message.statusCode}`),
            },
          });
          if (previous?.state === SessionState.Established) void previous.bye();
        });
      },
    };
    session.stateChange.addListener((state) => {
      if (this.session !== session) return;
      this.log.push(state.toLowerCase());
      if (state === SessionState.Established) this.playAndListen(session);
      if (state === SessionState.Terminated) {
        this.stopDtmf?.();
        this.stopDtmf = null;
      }
    });
  }

  private playAndListen(session: Session): void {
    const handler = session.sessionDescriptionHandler as Web.SessionDescriptionHandler | undefined;
    const stream = handler?.remoteMediaStream;
    if (!stream) return;
    this.audio.srcObject = stream;
    this.stopDtmf?.();
    this.stopDtmf = listenForDtmf(stream, (key) => (this.heardDtmf += key));
  }
}

declare global {
  interface Window {
    customer: CustomerPhone;
  }
}

window.customer = new CustomerPhone();
