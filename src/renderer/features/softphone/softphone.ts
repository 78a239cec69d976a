import type { AgentStateName } from '../../../shared/agent-state';
import type { CallOutcome } from '../../../shared/call-history';
import type { HotkeyAction, PhoneSettingsView } from '../../../shared/phone-settings';
import { desk } from '../../app/desk';
import { i18n } from '../../i18n/i18n';
import { useAgentStateStore } from '../../stores/agentState';
import { useSoftphoneStore } from '../../stores/softphone';
import { acceptsCalls } from '../agent-state/agent-status';
import { CallAudio } from './call-audio';
import { DeviceWatcher, type DeviceRole } from './devices/DeviceWatcher';
import type { PhoneCall, PhoneLink } from './phone-call';
import { Ringtone } from './ringtone';
import { blocksPhoneServer, reloadForPhoneServer } from './phone-server-policy';
import { orderIdOf } from './sip/call-headers';
import { SipPhone } from './sip/SipPhone';

const outcomeOf = (call: PhoneCall): CallOutcome => {
  if (call.endReason === 'transferred') return 'transferred';
  if (call.answeredAt) return 'answered';
  if (call.endReason === 'rejected') return 'rejected';
  if (call.endReason === 'missed') return 'missed';
  return call.direction === 'outbound' && call.endReason === 'hung_up_here' ? 'missed' : 'failed';
};

const secondsBetween = (from: string | null, to: string | null): number =>
  from && to ? Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000)) : 0;

/**
 * The softphone session: starts the SIP phone with the credentials main hands over, and ties
 * calls to everything around them — the store the UI reads, the ringtone and call audio, the
 * native notification, agent state (on call, after-call work, refusing calls when not
 * available), call history, hotkeys and the tray.
 */
class Softphone {
  private phone: SipPhone | null = null;
  private readonly ringtone = new Ringtone();
  private readonly audio = new CallAudio();
  private readonly unsubscribers: Array<() => void> = [];
  /** New SIP settings saved during a call: applied (by registering again) once it ends. */
  private restartWhenIdle = false;
  /** Starts and stops run one after another, never interleaved (React mounts twice in dev). */
  private lifecycle: Promise<void> = Promise.resolve();

  /** Starts (or restarts, after a settings change) the phone for the signed-in agent. */
  start(): Promise<void> {
    return this.enqueue(() => this.restart());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.teardown());
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.lifecycle.then(step);
    this.lifecycle = next.catch(() => undefined);
    return next;
  }

  private async teardown(): Promise<void> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    const phone = this.phone;
    this.phone = null;
    this.ringtone.stop();
    this.audio.stop();
    await phone?.stop();
    useSoftphoneStore.getState().reset();
  }

  async answer(callId: string): Promise<void> {
    const phone = this.requirePhone();
    // Call waiting: the call being talked on goes on hold first.
    for (const call of useSoftphoneStore.getState().calls) {
      if (call.id !== callId && call.status === 'active') await phone.hold(call.id, true);
    }
    await phone.answer(callId);
  }

  async decline(callId: string): Promise<void> {
    await this.requirePhone().reject(callId, 486);
  }

  async hangUp(callId: string): Promise<void> {
    await this.requirePhone().hangUp(callId);
  }

  async setHold(callId: string, onHold: boolean): Promise<void> {
    const phone = this.requirePhone();
    if (!onHold) {
      // Only one call talks at a time: resuming one holds the other.
      for (const call of useSoftphoneStore.getState().calls) {
        if (call.id !== callId && call.status === 'active') await phone.hold(call.id, true);
      }
    }
    await phone.hold(callId, onHold);
    this.playCurrentCall();
  }

  setMuted(callId: string, muted: boolean): void {
    this.requirePhone().mute(callId, muted);
  }

  async sendDtmf(callId: string, tones: string): Promise<void> {
    await this.requirePhone().sendDtmf(callId, tones);
  }

  async dial(target: string): Promise<void> {
    await this.requirePhone().dial(target);
  }

  async blindTransfer(callId: string, target: string): Promise<void> {
    try {
      await this.requirePhone().blindTransfer(callId, target);
    } catch (err) {
      useSoftphoneStore.getState().notify('transferFailed', err instanceof Error ? err.message : '');
    }
  }

  /** Attended transfer, step 1: hold the customer and call the colleague. */
  async startConsult(callId: string, target: string): Promise<void> {
    const phone = this.requirePhone();
    await phone.hold(callId, true);
    const consult = await phone.dial(target);
    phone.markConsult(consult.id, callId);
  }

  /** Attended transfer, step 2: join the customer to the colleague and leave. */
  async completeTransfer(consultCallId: string): Promise<void> {
    const consult = useSoftphoneStore.getState().calls.find((call) => call.id === consultCallId);
    if (!consult?.consultFor) return;
    try {
      await this.requirePhone().completeAttendedTransfer(consult.consultFor, consultCallId);
    } catch (err) {
      useSoftphoneStore.getState().notify('transferFailed', err instanceof Error ? err.message : '');
    }
  }

  /**
   * Settings were saved. Devices take effect at once (the microphone from the next call); a new
   * server or account means registering again, which never cuts a call short: it waits for the
   * last call to end.
   */
  async settingsSaved(settings: PhoneSettingsView, sipChanged: boolean): Promise<void> {
    useSoftphoneStore.getState().setSettings(settings);
    this.playCurrentCall();
    if (!sipChanged) return;
    if (useSoftphoneStore.getState().calls.length > 0) this.restartWhenIdle = true;
    else await this.start();
  }

  /** Global hotkeys act on the ringing call or the current one. */
  onHotkey(action: HotkeyAction): void {
    if (!this.phone) return; // Not set up: a hotkey has nothing to act on.
    const { calls } = useSoftphoneStore.getState();
    const ringing = calls.find((call) => call.status === 'ringing');
    const current =
      calls.find((call) => call.status === 'active') ?? calls.find((call) => call.status !== 'ringing');
    if (action === 'answer' && ringing) void this.answer(ringing.id);
    if (action === 'hangUp') {
      if (current) void this.hangUp(current.id);
      else if (ringing) void this.decline(ringing.id);
    }
    if (action === 'mute' && current) this.setMuted(current.id, !current.muted);
  }

  private async restart(): Promise<void> {
    await this.teardown();
    this.restartWhenIdle = false;
    const [settings, credentials] = await Promise.all([desk.phone.settings(), desk.phone.credentials()]);
    useSoftphoneStore.getState().setSettings(settings);
    this.unsubscribers.push(
      desk.on('hotkey.pressed', ({ action }) => this.onHotkey(action)),
      desk.on('notification.action', ({ callId, action }) => {
        // The call may have stopped ringing between the click and this event: nothing to do then.
        (action === 'answer' ? this.answer(callId) : this.decline(callId)).catch(() => undefined);
      }),
      useAgentStateStore.subscribe((state, previous) => {
        if (state.status.state !== previous.status.state) this.reportDeskStatus();
      }),
    );
    if (navigator.mediaDevices) {
      const watcher = new DeviceWatcher(
        navigator.mediaDevices,
        () =>
          useSoftphoneStore.getState().settings?.devices ?? {
            microphoneId: null,
            speakerId: null,
            ringerId: null,
          },
        (roles) => void this.onDevicesMissing(roles),
      );
      watcher.start();
      this.unsubscribers.push(() => watcher.stop());
    }
    if (!credentials) {
      this.reportDeskStatus();
      return;
    }
    const refusedByPolicy = this.watchPolicyFor(credentials.serverUrl);
    const phone = new SipPhone({
      credentials,
      microphoneId: () => useSoftphoneStore.getState().settings?.devices.microphoneId ?? null,
      listener: {
        link: (link) => this.onLink(link),
        added: (call) => this.onAdded(call),
        changed: (call) => this.onChanged(call),
      },
    });
    this.phone = phone;
    this.onLink(phone.link);
    // A websocket the page's policy refuses reports an error but never closes (Chromium), so
    // sip.js would wait for it forever: the refusal ends the start.
    await Promise.race([phone.start(), refusedByPolicy]);
  }

  /**
   * Resolves when the page's policy refuses the websocket to this phone server, which then means
   * a reload (phone-server-policy.ts); watched until the phone stops.
   */
  private watchPolicyFor(serverUrl: string): Promise<void> {
    return new Promise((resolve) => {
      const onViolation = (violation: SecurityPolicyViolationEvent) => {
        if (!blocksPhoneServer(violation, serverUrl)) return;
        document.removeEventListener('securitypolicyviolation', onViolation);
        this.onPhoneServerRefusedByPolicy(serverUrl);
        resolve();
      };
      document.addEventListener('securitypolicyviolation', onViolation);
      this.unsubscribers.push(() => document.removeEventListener('securitypolicyviolation', onViolation));
    });
  }

  private onPhoneServerRefusedByPolicy(serverUrl: string): void {
    const outcome = reloadForPhoneServer(serverUrl, {
      isIdle: () => {
        const { state } = useAgentStateStore.getState().status;
        return (
          useSoftphoneStore.getState().calls.length === 0 &&
          state !== 'on_call' &&
          state !== 'after_call_work'
        );
      },
      onChange: (listener) => useAgentStateStore.subscribe(listener),
      reload: () => window.location.reload(),
      storage: window.sessionStorage,
    });
    // No reconnecting against a policy that refuses every attempt. The phone is dropped without
    // waiting for sip.js, whose stop would wait for the refused socket to close.
    const phone = this.phone;
    this.phone = null;
    void phone?.stop();
    useSoftphoneStore.getState().setLink({
      state: 'offline',
      reason: outcome === 'blocked' ? 'policy_blocked' : 'policy_reload',
      since: new Date().toISOString(),
    });
  }

  /** A chosen device was unplugged: the default takes over, mid-call too, and the agent is told. */
  private async onDevicesMissing(roles: DeviceRole[]): Promise<void> {
    const store = useSoftphoneStore.getState();
    const inCall = store.calls.some((call) => call.status === 'active' || call.status === 'held');
    if (roles.includes('microphone')) {
      if (inCall) await this.phone?.replaceMicrophone(null);
      store.notify('microphoneFallback');
    }
    if (roles.includes('speaker')) {
      if (inCall) this.playCurrentCall();
      else store.notify('speakerFallback');
    }
    if (roles.includes('ringer')) store.notify('ringerFallback');
  }

  private onLink(link: PhoneLink): void {
    useSoftphoneStore.getState().setLink(link);
    this.reportDeskStatus();
  }

  private onAdded(call: PhoneCall): void {
    if (call.direction === 'inbound') {
      const status = useAgentStateStore.getState().status;
      if (!acceptsCalls(status)) {
        const code = useSoftphoneStore.getState().settings?.callHandling.rejectCode ?? 486;
        void this.phone?.reject(call.id, code);
        return; // Never shown; the history row is written when it ends.
      }
    }
    useSoftphoneStore.getState().upsertCall(call);
    if (call.status === 'ringing') this.ring(call);
    this.reportDeskStatus();
  }

  private onChanged(call: PhoneCall): void {
    const store = useSoftphoneStore.getState();
    const before = store.calls.find((existing) => existing.id === call.id);
    store.upsertCall(call);
    if (call.status !== 'ringing' && before?.status === 'ringing') this.stopRinging(call.id);
    if (call.status === 'active' && !before?.answeredAt && call.answeredAt) {
      useAgentStateStore.getState().apply({ type: 'call_answered' });
    }
    if (call.status === 'ended') this.onEnded(call);
    this.playCurrentCall();
    this.reportDeskStatus();
    if (this.restartWhenIdle && useSoftphoneStore.getState().calls.length === 0) {
      this.restartWhenIdle = false;
      void this.start();
    }
  }

  private onEnded(call: PhoneCall): void {
    this.stopRinging(call.id);
    void desk.calls
      .record({
        callId: call.id,
        direction: call.direction,
        number: call.remoteNumber.slice(0, 64),
        name: call.remoteName.slice(0, 128),
        startedAt: call.startedAt,
        durationSeconds: secondsBetween(call.answeredAt, call.endedAt),
        outcome: outcomeOf(call),
        orderId: orderIdOf(call.headers),
      })
      .catch(() => undefined);
    const talking = useSoftphoneStore
      .getState()
      .calls.some((other) => other.status === 'active' || other.status === 'held');
    if (call.answeredAt && !talking) {
      useAgentStateStore.getState().apply({
        type: 'last_call_ended',
        callId: call.id,
        acwSeconds: useSoftphoneStore.getState().settings?.callHandling.acwSeconds ?? 0,
      });
    }
  }

  private ring(call: PhoneCall): void {
    const settings = useSoftphoneStore.getState().settings;
    void this.ringtone.start(settings?.devices.ringerId ?? null).then((routed) => {
      if (!routed) useSoftphoneStore.getState().notify('ringerFallback');
    });
    const caller = call.remoteName || call.remoteNumber;
    void desk.desktop
      .ringing({
        callId: call.id,
        title: i18n.t('softphone.notification.title'),
        body: call.remoteName ? `${caller} · ${call.remoteNumber}` : caller,
        answerLabel: i18n.t('softphone.answer'),
        declineLabel: i18n.t('softphone.decline'),
      })
      .catch(() => undefined);
  }

  private stopRinging(callId: string): void {
    const stillRinging = useSoftphoneStore.getState().calls.some((call) => call.status === 'ringing');
    if (!stillRinging) this.ringtone.stop();
    void desk.desktop.ringingStopped({ callId }).catch(() => undefined);
  }

  /** The far end of the active call plays on the speaker device; nothing plays while all are held. */
  private playCurrentCall(): void {
    const active = useSoftphoneStore.getState().calls.find((call) => call.status === 'active');
    const speakerId = useSoftphoneStore.getState().settings?.devices.speakerId ?? null;
    void this.audio
      .play(active ? (this.phone?.remoteStream(active.id) ?? null) : null, speakerId)
      .then((routed) => {
        if (active && !routed) useSoftphoneStore.getState().notify('speakerFallback');
      });
  }

  private reportDeskStatus(): void {
    const { link, calls } = useSoftphoneStore.getState();
    const agentState: AgentStateName = useAgentStateStore.getState().status.state;
    const phoneLabel = i18n.t(`softphone.link.${link.state}`);
    const agentLabel = i18n.t(`agentState.states.${agentState}`);
    void desk.desktop
      .status({
        phone: link.state,
        agentState,
        ringing: calls.some((call) => call.status === 'ringing'),
        tooltip: `${i18n.t('app.name')} · ${phoneLabel} · ${agentLabel}`,
      })
      .catch(() => undefined);
  }

  private requirePhone(): SipPhone {
    if (!this.phone) throw new Error('The phone is not started');
    return this.phone;
  }
}

export const softphone = new Softphone();
