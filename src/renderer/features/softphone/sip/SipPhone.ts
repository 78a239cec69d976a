import {
  Invitation,
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
import type { SipCredentials } from '../../../../shared/phone-settings';
import type { PhoneCall, PhoneLink, CallEndReason } from '../phone-call';
import { extensionHeaders } from './call-headers';
import { preferCodec } from './prefer-codec';
import { reconnectDelayMs } from './reconnect-backoff';

export interface SipPhoneListener {
  link(link: PhoneLink): void;
  /** A new call rings (inbound) or is being dialled (outbound). */
  added(call: PhoneCall): void;
  /** Any change of a call, including its end. */
  changed(call: PhoneCall): void;
}

export interface SipPhoneOptions {
  credentials: SipCredentials;
  listener: SipPhoneListener;
  /** The microphone chosen in settings (null: system default), read at each call. */
  microphoneId: () => string | null;
}

interface Leg {
  session: Session;
  call: PhoneCall;
}

type Handler = Web.SessionDescriptionHandler;

/** ICE gathering cap: enough for host, STUN and TURN candidates; setup time is what agents feel. */
const ICE_GATHERING_TIMEOUT_MS = 1000;
const REGISTER_EXPIRES_SECONDS = 300;
const DTMF_TONE_MS = 160;
const DTMF_GAP_MS = 100;
/** How long the transfer target gets to take over the consult call before we end it ourselves. */
const REPLACES_GRACE_MS = 5000;

/**
 * The softphone's SIP side: one sip.js UserAgent over a websocket to the PBX, registration
 * (digest auth is answered by sip.js from the credentials), calls in and out, hold, mute, DTMF,
 * transfers. It reconnects by itself with a short capped backoff and re-registers, so a PBX
 * restart or a network change costs the agent seconds, not a call shift.
 */
export class SipPhone {
  private readonly userAgent: UserAgent;
  private readonly registerer: Registerer;
  private readonly legs = new Map<string, Leg>();
  private readonly modifiers: SessionDescriptionHandlerModifier[];
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = false;
  private linkState: PhoneLink = { state: 'connecting', reason: null, since: new Date().toISOString() };

  constructor(private readonly options: SipPhoneOptions) {
    const { credentials } = options;
    const uri = UserAgent.makeURI(credentials.aor);
    if (!uri) throw new Error(`Not a SIP address: ${credentials.aor}`);
    this.modifiers = [
      (description) =>
        Promise.resolve({
          ...description,
          sdp: preferCodec(description.sdp ?? '', credentials.preferredCodec),
        }),
    ];
    this.userAgent = new UserAgent({
      uri,
      displayName: credentials.displayName || undefined,
      authorizationUsername: credentials.authUsername,
      authorizationPassword: credentials.password,
      transportOptions: { server: credentials.serverUrl, connectionTimeout: 4 },
      // We reconnect ourselves (below), with a backoff that suits a phone.
      reconnectionAttempts: 0,
      logLevel: 'error',
      sipExtensionReplaces: SIPExtension.Supported,
      sessionDescriptionHandlerFactoryOptions: {
        peerConnectionConfiguration: { iceServers: credentials.iceServers },
        iceGatheringTimeout: ICE_GATHERING_TIMEOUT_MS,
      },
      delegate: {
        onInvite: (invitation) => this.onInvite(invitation),
        onDisconnect: (error) => {
          if (this.stopped) return;
          this.setLink('offline', error ? 'transport' : 'closed');
          this.scheduleReconnect();
        },
      },
    });
    this.registerer = new Registerer(this.userAgent, { expires: REGISTER_EXPIRES_SECONDS });
    this.registerer.stateChange.addListener((state) => {
      if (state === RegistererState.Registered) {
        this.attempt = 0;
        this.setLink('registered', null);
      } else if (state === RegistererState.Unregistered && !this.stopped && this.userAgent.isConnected()) {
        this.setLink('offline', 'unregistered');
      }
    });
  }

  get link(): PhoneLink {
    return this.linkState;
  }

  async start(): Promise<void> {
    this.stopped = false;
    window.addEventListener('online', this.onNetworkBack);
    await this.connectAndRegister();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    window.removeEventListener('online', this.onNetworkBack);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    for (const { session } of this.legs.values()) await this.end(session).catch(() => undefined);
    if (this.userAgent.isConnected()) await this.registerer.unregister().catch(() => undefined);
    await this.userAgent.stop().catch(() => undefined);
  }

  /** Dials `target` (an extension or a number) at the PBX's domain, with optional X- headers. */
  async dial(target: string, headers: Record<string, string> = {}): Promise<PhoneCall> {
    const domain = this.userAgent.configuration.uri.host;
    const uri = UserAgent.makeURI(target.startsWith('sip:') ? target : `sip:${target}@${domain}`);
    if (!uri) throw new Error(`Cannot call ${target}`);
    const inviter = new Inviter(this.userAgent, uri, {
      extraHeaders: Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      sessionDescriptionHandlerOptions: { constraints: this.constraints() },
      sessionDescriptionHandlerModifiers: this.modifiers,
    });
    const call = this.track(inviter, {
      id: inviter.request.callId,
      direction: 'outbound',
      remoteNumber: uri.user ?? target,
      remoteName: '',
      headers,
      status: 'dialing',
    });
    await inviter.invite({
      requestDelegate: {
        onReject: (response) => {
          const code = response.message.statusCode;
          this.finish(
            call.id,
            code === 486 || code === 600 ? 'busy' : code === 487 ? 'hung_up_here' : 'failed',
          );
        },
      },
    });
    return call;
  }

  async answer(callId: string): Promise<void> {
    const leg = this.requireLeg(callId);
    if (!(leg.session instanceof Invitation)) throw new Error('Only an incoming call can be answered');
    await leg.session.accept({
      sessionDescriptionHandlerOptions: { constraints: this.constraints() },
      sessionDescriptionHandlerModifiers: this.modifiers,
    });
  }

  /** Refuses a ringing call: 486 Busy Here, 480 Temporarily Unavailable or 603 Decline. */
  async reject(callId: string, statusCode: number): Promise<void> {
    const leg = this.requireLeg(callId);
    if (!(leg.session instanceof Invitation) || leg.session.state !== SessionState.Initial) return;
    this.update(callId, { endReason: 'rejected' });
    await leg.session.reject({ statusCode });
  }

  async hangUp(callId: string): Promise<void> {
    const leg = this.legs.get(callId);
    if (!leg) return;
    if (!leg.call.endReason) this.update(callId, { endReason: 'hung_up_here' });
    await this.end(leg.session);
  }

  /** Re-INVITE with the direction set to sendonly (hold) or back to sendrecv. */
  async hold(callId: string, onHold: boolean): Promise<void> {
    const leg = this.requireLeg(callId);
    if (leg.session.state !== SessionState.Established) return;
    if ((leg.call.status === 'held') === onHold) return;
    leg.session.sessionDescriptionHandlerOptionsReInvite = {
      hold: onHold,
    } as Web.SessionDescriptionHandlerOptions;
    leg.session.sessionDescriptionHandlerModifiersReInvite = this.modifiers;
    await new Promise<void>((resolve, reject) => {
      void leg.session
        .invite({
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) => reject(new Error(`Hold refused: ${response.message.statusCode}`)),
          },
        })
        .catch(reject);
    });
    // A held customer must not hear the agent either; unmuting is the agent's own choice.
    this.handlerOf(leg.session)?.enableSenderTracks(!onHold && !leg.call.muted);
    this.update(callId, { status: onHold ? 'held' : 'active' });
  }

  /** Stops sending the agent's voice; the call and its packets go on (silence). */
  mute(callId: string, muted: boolean): void {
    const leg = this.requireLeg(callId);
    this.handlerOf(leg.session)?.enableSenderTracks(!muted && leg.call.status !== 'held');
    this.update(callId, { muted });
  }

  /** RFC 4733 telephone-events through RTCDTMFSender; SIP INFO where the far end offered none. */
  async sendDtmf(callId: string, tones: string): Promise<'rtp' | 'info'> {
    const leg = this.requireLeg(callId);
    const handler = this.handlerOf(leg.session);
    if (handler?.sendDtmf(tones, { duration: DTMF_TONE_MS, interToneGap: DTMF_GAP_MS })) return 'rtp';
    for (const tone of tones) {
      await leg.session.info({
        requestOptions: {
          body: {
            contentDisposition: 'render',
            contentType: 'application/dtmf-relay',
            content: `Signal=${tone}\r\nDuration=${DTMF_TONE_MS}`,
          },
        },
      });
    }
    return 'info';
  }

  /** Blind transfer: REFER the far end to `target`, then leave the call once it accepts. */
  async blindTransfer(callId: string, target: string): Promise<void> {
    const leg = this.requireLeg(callId);
    const domain = this.userAgent.configuration.uri.host;
    const uri = UserAgent.makeURI(target.startsWith('sip:') ? target : `sip:${target}@${domain}`);
    if (!uri) throw new Error(`Cannot transfer to ${target}`);
    await this.referAndLeave(leg, uri);
  }

  /** Attended transfer: REFER with Replaces, joining the far end to the consult call's party. */
  async completeAttendedTransfer(callId: string, consultCallId: string): Promise<void> {
    const leg = this.requireLeg(callId);
    const consult = this.requireLeg(consultCallId);
    this.update(consultCallId, { endReason: 'transferred' });
    await this.referAndLeave(leg, consult.session);
    // The colleague ends the consult leg once the customer's INVITE has replaced it; ending it
    // here first would leave the Replaces with no dialog to match (481).
    const replaced = await this.terminated(consult.session, REPLACES_GRACE_MS);
    if (!replaced) await this.end(consult.session).catch(() => undefined);
  }

  private terminated(session: Session, timeoutMs: number): Promise<boolean> {
    if (session.state === SessionState.Terminated) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        session.stateChange.removeListener(listener);
        resolve(false);
      }, timeoutMs);
      const listener = (state: SessionState) => {
        if (state !== SessionState.Terminated) return;
        clearTimeout(timer);
        session.stateChange.removeListener(listener);
        resolve(true);
      };
      session.stateChange.addListener(listener);
    });
  }

  /** Marks a dialled call as the consult leg of `callId` (its UI shows "complete transfer"). */
  markConsult(consultCallId: string, callId: string): void {
    this.update(consultCallId, { consultFor: callId });
  }

  /**
   * Swaps the microphone of every ongoing call (the chosen one was unplugged): the call goes on
   * with the new device, keeping its mute and hold state.
   */
  async replaceMicrophone(deviceId: string | null): Promise<void> {
    for (const leg of this.legs.values()) {
      const sender = this.handlerOf(leg.session)
        ?.peerConnection?.getSenders()
        .find((s) => s.track?.kind === 'audio');
      if (!sender) continue;
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: deviceId ? { deviceId: { ideal: deviceId } } : true,
        video: false,
      });
      const track = stream.getAudioTracks()[0];
      if (!track) continue;
      track.enabled = !leg.call.muted && leg.call.status !== 'held';
      const previous = sender.track;
      await sender.replaceTrack(track);
      previous?.stop();
    }
  }

  /** The far end's audio, to play on the agent's speaker device. */
  remoteStream(callId: string): MediaStream | null {
    const leg = this.legs.get(callId);
    return (leg && this.handlerOf(leg.session)?.remoteMediaStream) ?? null;
  }

  private async referAndLeave(leg: Leg, target: Parameters<Session['refer']>[0]): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      void leg.session
        .refer(target, {
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) => reject(new Error(`Transfer refused: ${response.message.statusCode}`)),
          },
        })
        .catch(reject);
    });
    this.update(leg.call.id, { endReason: 'transferred' });
    await this.end(leg.session).catch(() => undefined);
  }

  private onInvite(invitation: Invitation): void {
    // For the screen-pop benchmark: INVITE received to the ringing toast's order card painted.
    performance.mark(`agentdesk:invite:${invitation.request.callId}`);
    const identity = invitation.remoteIdentity;
    this.track(invitation, {
      id: invitation.request.callId,
      direction: 'inbound',
      remoteNumber: identity.uri.user ?? '',
      remoteName: identity.displayName ?? '',
      headers: extensionHeaders(invitation.request.headers),
      status: 'ringing',
    });
  }

  private track(
    session: Session,
    start: Pick<PhoneCall, 'id' | 'direction' | 'remoteNumber' | 'remoteName' | 'headers' | 'status'>,
  ): PhoneCall {
    const call: PhoneCall = {
      ...start,
      muted: false,
      startedAt: new Date().toISOString(),
      answeredAt: null,
      endedAt: null,
      endReason: null,
      consultFor: null,
    };
    this.legs.set(call.id, { session, call });
    session.stateChange.addListener((state) => {
      if (state === SessionState.Established) {
        this.update(call.id, { status: 'active', answeredAt: new Date().toISOString() });
      } else if (state === SessionState.Terminated) {
        const leg = this.legs.get(call.id);
        const reason: CallEndReason =
          leg?.call.endReason ??
          (leg?.call.answeredAt ? 'hung_up_remote' : start.direction === 'inbound' ? 'missed' : 'failed');
        this.finish(call.id, reason);
      }
    });
    this.options.listener.added(call);
    return call;
  }

  private finish(callId: string, reason: CallEndReason): void {
    const leg = this.legs.get(callId);
    if (!leg || leg.call.status === 'ended') return;
    this.update(callId, {
      status: 'ended',
      endedAt: new Date().toISOString(),
      endReason: leg.call.endReason ?? reason,
    });
    this.legs.delete(callId);
  }

  private update(callId: string, patch: Partial<PhoneCall>): void {
    const leg = this.legs.get(callId);
    if (!leg) return;
    leg.call = { ...leg.call, ...patch };
    this.options.listener.changed(leg.call);
  }

  private requireLeg(callId: string): Leg {
    const leg = this.legs.get(callId);
    if (!leg) throw new Error(`No call ${callId}`);
    return leg;
  }

  private handlerOf(session: Session): Handler | undefined {
    return session.sessionDescriptionHandler as Handler | undefined;
  }

  private constraints(): MediaStreamConstraints {
    const microphoneId = this.options.microphoneId();
    return { audio: microphoneId ? { deviceId: { ideal: microphoneId } } : true, video: false };
  }

  private async end(session: Session): Promise<void> {
    switch (session.state) {
      case SessionState.Initial:
      case SessionState.Establishing:
        if (session instanceof Inviter) await session.cancel();
        else if (session instanceof Invitation) await session.reject({ statusCode: 480 });
        return;
      case SessionState.Established:
        await session.bye();
        return;
      default:
        return;
    }
  }

  private async connectAndRegister(): Promise<void> {
    this.setLink('connecting', this.linkState.reason);
    try {
      if (this.userAgent.isConnected()) {
        // Already connected (e.g. the registration was lost): registering is enough.
      } else if (this.attempt === 0 && this.userAgent.state === 'Stopped') {
        await this.userAgent.start();
      } else {
        await this.userAgent.reconnect();
      }
      await this.registerer.register({
        requestDelegate: {
          // Also after a refresh, when the registerer's own state does not change.
          onAccept: () => {
            this.attempt = 0;
            this.setLink('registered', null);
          },
          onReject: (response) => this.setLink('offline', `rejected_${response.message.statusCode}`),
        },
      });
    } catch {
      if (this.stopped) return;
      this.setLink('offline', 'unreachable');
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.stopped) return;
    const delay = reconnectDelayMs(this.attempt);
    this.attempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.connectAndRegister();
    }, delay);
  }

  private readonly onNetworkBack = () => {
    // The OS says the network is back: try now rather than wait for the backoff.
    if (this.userAgent.isConnected() || this.stopped) return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.attempt = 0;
    void this.connectAndRegister();
  };

  private setLink(state: PhoneLink['state'], reason: string | null): void {
    if (this.linkState.state === state && this.linkState.reason === reason) return;
    this.linkState = {
      state,
      reason,
      since: state === this.linkState.state ? this.linkState.since : new Date().toISOString(),
    };
    this.options.listener.link(this.linkState);
  }
}
