import type {
  AgentCobrowseMessage,
  ConsentLevel,
  ControlReleaseReason,
  CustomerFrame,
  GatewayToCustomerFrame,
  MaskingPolicy,
  PageInfo,
} from '../shared/cobrowse-protocol';
import { isSnippetUi, remoteClick, remoteInput, remoteScroll, type AssistOutcome } from './assist';
import { EventBatcher, type EncodedFrame } from './batching';
import { GatewayConnection } from './connection';
import { Consents } from './consent';
import { COBROWSE_PROTOCOL_VERSION, CONTROL_IDLE_MS } from './contract';
import type { MessageKey } from './i18n';
import { planMasking, type MaskingPlan } from './masking';
import type { Lang } from './options';
import { PageRecorder, withoutQuery, type RecordedEvent } from './recorder';
import { SessionStore, type StoredSession } from './storage';
import { SnippetUi, type Panel, type UiAction, type ViewState } from './ui';

export interface SessionEnvironment {
  window: Window;
  /** The gateway's co-browse websocket URL. */
  gatewayUrl: string;
  lang: Lang;
  WebSocket?: typeof WebSocket;
  /** 'closed' on shops; tests open it to click the buttons. */
  shadowMode?: ShadowRootMode;
  /** How often the recorder takes a full snapshot on its own (rrweb checkout). */
  checkoutEveryMs?: number;
  /** Control goes back to the customer after this long without a remote action. */
  controlIdleMs?: number;
  random?: () => number;
}

type Phase =
  /** No session: the help button. */
  | 'idle'
  /** Asking the gateway for a code. */
  | 'connecting'
  /** A page load rejoining its session. */
  | 'resuming'
  /** The code is shown; no agent yet. */
  | 'waiting'
  /** An agent joined: the view consent banner. */
  | 'asking'
  /** The agent sees the page (recording). */
  | 'live'
  /** The customer declined the view. */
  | 'declined';

type Notice = Extract<Panel, { kind: 'notice' }>;
type EndedBy = Extract<GatewayToCustomerFrame, { type: 'ended' }>['by'];

/** Bytes the socket may hold unsent before batches are dropped (and a snapshot follows). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** How long a notice (ended, declined, …) stays before the help button is back. */
const NOTICE_MS = 8_000;
const ENDED_MESSAGE: Record<EndedBy, MessageKey> = {
  customer: 'endedByYou',
  agent: 'endedByAgent',
  gateway: 'ended',
};

/** The page as the gateway and the desk see it: its address without query or fragment, which can carry personal data (an e-mail in a link, a token). */
function pageInfo(win: Window): PageInfo {
  return {
    url: withoutQuery(win.location.href).slice(0, 2000),
    title: (win.document.title ?? '').slice(0, 300),
  };
}

/**
 * One customer's co-browse session on this page, from the help button to the end: the
 * gateway connection, the consents, the recorder (started only after the view is allowed),
 * the agent's pointer and remote actions (each checked here), and the UI.
 */
export class CobrowseSession {
  readonly ui: SnippetUi;
  private readonly win: Window;
  private readonly doc: Document;
  private readonly connection: GatewayConnection;
  private readonly recorder: PageRecorder;
  private readonly batcher: EventBatcher;
  private readonly store: SessionStore;
  private readonly consents = new Consents();
  private phase: Phase = 'idle';
  private stored: StoredSession | null = null;
  private awaiting: 'code' | 'resumed' | null = null;
  private reconnecting = false;
  private agent = '';
  private masking: MaskingPolicy | null = null;
  private plan: MaskingPlan | null = null;
  private planPath = '';
  private ask: ConsentLevel | null = null;
  private notice: Notice | null = null;
  /** Consent and control frames the customer caused while the socket was down: sent after resume. */
  private unsent: CustomerFrame[] = [];
  private needsCheckout = false;
  /** Counts live periods, so a recording start queued for an earlier one does not run. */
  private generation = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private expiryTimer: ReturnType<typeof setTimeout> | null = null;
  private noticeTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners: [EventTarget, string, EventListener, AddEventListenerOptions][] = [];

  constructor(private readonly env: SessionEnvironment) {
    this.win = env.window;
    this.doc = env.window.document;
    this.store = new SessionStore(() => {
      try {
        return this.win.sessionStorage;
      } catch {
        return null;
      }
    });
    this.ui = new SnippetUi(
      this.doc,
      env.lang,
      (action) => this.guard(() => this.onAction(action)),
      env.shadowMode,
    );
    this.connection = new GatewayConnection(
      env.gatewayUrl,
      {
        onOpen: () => this.guard(() => this.onOpen()),
        onFrame: (frame) => this.guard(() => this.onFrame(frame)),
        onRetry: () => this.guard(() => this.onRetry()),
        onGiveUp: () => this.guard(() => this.onGiveUp()),
      },
      { WebSocket: env.WebSocket, random: env.random },
    );
    this.recorder = new PageRecorder(
      (event) => this.onRecorded(event),
      (error) => this.reportError(error),
      env.checkoutEveryMs,
    );
    this.batcher = new EventBatcher({
      send: (frame) => this.sendBatchFrame(frame),
      nextSeq: () => this.nextSeq(),
      beforeFlush: () => this.beforeFlush(),
      onDropped: () => (this.needsCheckout = true),
      setTimer: (fn, ms) => setTimeout(() => this.guard(fn), ms),
    });
    this.listen(this.win, 'keydown', (event) => this.onKeyDown(event as KeyboardEvent), { capture: true });
    this.listen(this.doc, 'visibilitychange', () => {
      if (this.doc.visibilityState === 'hidden') this.releaseControl('hidden');
    });

    const saved = this.store.load();
    if (saved) this.resume(saved);
    else this.render();
  }

  private listen(
    target: EventTarget,
    type: string,
    handler: EventListener,
    options: AddEventListenerOptions = {},
  ) {
    const guarded: EventListener = (event) => this.guard(() => handler(event));
    target.addEventListener(type, guarded, options);
    this.listeners.push([target, type, guarded, options]);
  }

  /** Nothing the snippet does may throw into the shop's page. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.reportError(error);
    }
  }

  private reportError(error: unknown): void {
    try {
      console.warn('[agent-desk-cobrowse]', error);
      if (this.phase === 'idle' || this.phase === 'connecting') {
        this.connection.close();
        this.phase = 'idle';
        this.showNotice({ kind: 'notice', message: 'unavailable', action: 'retry' });
      }
    } catch {
      // nothing left to tell
    }
  }

  /** The consent levels in force (for tests and the live bar). */
  get consentLevels(): ConsentLevel[] {
    return this.consents.levels();
  }

  get currentPhase(): Phase {
    return this.phase;
  }

  // ---- the customer's actions -----------------------------------------------------------

  private onAction(action: UiAction): void {
    switch (action) {
      case 'help':
        this.startHelp();
        break;
      case 'allow':
        this.allow();
        break;
      case 'decline':
        this.decline();
        break;
      case 'take-back':
        this.releaseControl('stopped');
        break;
      case 'stop':
      case 'cancel':
        this.stop();
        break;
      case 'close':
        this.close();
        break;
      case 'retry':
        this.notice = null;
        this.startHelp();
        break;
    }
  }

  startHelp(): void {
    if (this.phase !== 'idle') return;
    this.clearNotice();
    this.phase = 'connecting';
    this.awaiting = 'code';
    this.connection.connect(3);
    this.render();
  }

  private resume(saved: StoredSession): void {
    this.stored = saved;
    this.phase = 'resuming';
    this.awaiting = 'resumed';
    this.connection.connect();
    this.render();
  }

  private allow(): void {
    const level = this.ask;
    if (!level) return;
    this.ask = null;
    if (level === 'view') {
      if (this.phase !== 'asking') return;
      this.setConsent('view', true);
      this.goLive();
    } else {
      if (this.phase !== 'live') return;
      // Control needs scroll: the control banner asks for both.
      if (level === 'control' && !this.consents.has('scroll')) this.setConsent('scroll', true);
      this.setConsent(level, true);
      if (level === 'control') this.touchControl();
    }
    this.render();
  }

  private decline(): void {
    const level = this.ask;
    if (!level) return;
    this.ask = null;
    this.sendOrKeep({ type: 'consent', level, granted: false });
    if (level === 'view') this.phase = 'declined';
    this.render();
  }

  /** The customer's Stop: control back, the session ended for everyone. */
  stop(): void {
    if (this.phase === 'idle') return;
    if (this.consents.has('control')) this.connection.send({ type: 'control-released', reason: 'stopped' });
    const hadSession = this.stored !== null;
    if (hadSession) this.connection.send({ type: 'end' });
    this.finish(hadSession ? 'endedByYou' : null);
  }

  private close(): void {
    if (this.phase === 'declined') {
      this.connection.send({ type: 'end' });
      this.finish(null);
      return;
    }
    this.clearNotice();
    this.render();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    if (this.consents.has('control')) {
      this.releaseControl('escape');
    } else if (this.ui.containsFocus()) {
      if (this.ask) this.decline();
      else if (this.notice) this.close();
    }
  }

  // ---- the gateway ----------------------------------------------------------------------

  private onOpen(): void {
    if (this.stored) {
      this.awaiting = 'resumed';
      this.connection.send({
        type: 'resume',
        protocol: COBROWSE_PROTOCOL_VERSION,
        sessionId: this.stored.sessionId,
        resumeToken: this.stored.resumeToken,
        page: pageInfo(this.win),
      });
    } else {
      this.awaiting = 'code';
      this.connection.send({
        type: 'hello',
        protocol: COBROWSE_PROTOCOL_VERSION,
        page: pageInfo(this.win),
        language: this.env.lang,
      });
    }
  }

  private onRetry(): void {
    this.reconnecting = true;
    // Nobody to send to: stop reading the page; the rejoin starts again with a full snapshot.
    this.recorder.stop();
    this.batcher.clear();
    this.render();
  }

  private onGiveUp(): void {
    if (this.stored) this.finish('lost');
    else {
      this.phase = 'idle';
      this.awaiting = null;
      this.showNotice({ kind: 'notice', message: 'unavailable', action: 'retry' });
    }
  }

  private onFrame(frame: GatewayToCustomerFrame): void {
    switch (frame.type) {
      case 'code':
        if (this.awaiting !== 'code' || this.phase !== 'connecting') return;
        this.awaiting = null;
        this.reconnecting = false;
        this.stored = {
          sessionId: frame.sessionId,
          resumeToken: frame.resumeToken,
          code: frame.code,
          expiresAt: frame.expiresAt,
          seq: 0,
        };
        this.store.save(this.stored);
        this.connection.maxFailures = 12;
        this.phase = 'waiting';
        this.watchExpiry();
        this.render();
        return;
      case 'resumed':
        if (this.awaiting !== 'resumed' || !this.stored) return;
        this.onResumed(frame);
        return;
      case 'agent-joined':
        if (!this.stored || this.phase === 'idle' || this.phase === 'connecting') return;
        // Whoever joins is asked for anew: a consent is given to one agent, not to the session.
        this.stopLive();
        this.consents.clear();
        this.agent = frame.agent.displayName;
        this.masking = frame.masking;
        this.phase = 'asking';
        this.ask = 'view';
        this.clearExpiry();
        this.render();
        return;
      case 'agent':
        this.onAgentMessage(frame.message);
        return;
      case 'ended':
        if (this.phase === 'idle') return;
        this.finish(ENDED_MESSAGE[frame.by]);
        return;
      case 'error':
        if (this.awaiting === 'code') {
          this.connection.close();
          this.awaiting = null;
          this.phase = 'idle';
          this.showNotice({ kind: 'notice', message: 'unavailable', action: 'retry' });
        } else if (this.awaiting === 'resumed') {
          // The session is gone (ended, expired or unknown): start over from the button.
          this.finish('ended');
        } else {
          console.warn('[agent-desk-cobrowse]', frame.error.code, frame.error.message);
        }
        return;
    }
  }

  private onResumed(frame: Extract<GatewayToCustomerFrame, { type: 'resumed' }>): void {
    this.awaiting = null;
    this.reconnecting = false;
    this.agent = frame.agent?.displayName ?? '';
    this.masking = frame.masking;
    this.consents.restore(frame.consent);
    // What the customer decided while the socket was down wins over what the gateway kept.
    const unsent = this.unsent;
    this.unsent = [];
    for (const pending of unsent) {
      if (pending.type === 'consent') {
        if (pending.granted) this.consents.grant(pending.level);
        else this.consents.withdraw(pending.level);
      } else if (pending.type === 'control-released') this.consents.withdraw('control');
      this.sendOrKeep(pending);
    }
    if (!frame.agent) {
      this.phase = 'waiting';
      this.watchExpiry();
    } else if (this.consents.has('view')) {
      this.goLive();
      if (this.consents.has('control')) this.touchControl();
    } else {
      this.phase = 'asking';
      this.ask = 'view';
    }
    this.render();
  }

  private onAgentMessage(message: AgentCobrowseMessage): void {
    // Checked here whatever the gateway let through.
    if (this.phase !== 'live' || !this.consents.allows(message)) return;
    switch (message.type) {
      case 'pointer':
        this.ui.pointer(message.x, message.y, this.agent);
        return;
      case 'highlight':
        this.ui.highlight(message.nodeId === null ? null : this.highlightTarget(message.nodeId));
        return;
      case 'consent-request':
        if (this.consents.has(message.level)) {
          this.sendOrKeep({ type: 'consent', level: message.level, granted: true });
        } else if (this.ask !== 'control') {
          this.ask = message.level;
          this.render();
        }
        return;
      case 'scroll':
        remoteScroll(this.win, message.x, message.y);
        return;
      case 'click':
        this.touchControl();
        this.afterAssist(remoteClick(this.recorder.node(message.nodeId), this.currentPlan()));
        return;
      case 'input':
        this.touchControl();
        this.afterAssist(remoteInput(this.recorder.node(message.nodeId), message.value, this.currentPlan()));
        return;
      case 'release-control':
        this.releaseControl('agent');
        return;
      case 'resync':
        this.batcher.flush();
        this.recorder.checkout();
        return;
    }
  }

  private highlightTarget(nodeId: number): Element | null {
    const node = this.recorder.node(nodeId);
    const element = node?.nodeType === 1 ? (node as Element) : (node?.parentElement ?? null);
    return element && !isSnippetUi(element) ? element : null;
  }

  private afterAssist(outcome: AssistOutcome): void {
    if (outcome === 'refused') this.ui.announce(this.text('blocked'));
  }

  private text(key: MessageKey): string {
    // Kept in one place with the UI's strings.
    return this.ui.text(key);
  }

  // ---- consent and control --------------------------------------------------------------

  private setConsent(level: ConsentLevel, granted: boolean): void {
    if (granted) this.consents.grant(level);
    else this.consents.withdraw(level);
    this.sendOrKeep({ type: 'consent', level, granted });
  }

  /** A remote action (or the grant): control stays for CONTROL_IDLE_MS more. */
  private touchControl(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(
      () => this.guard(() => this.releaseControl('idle')),
      this.env.controlIdleMs ?? CONTROL_IDLE_MS,
    );
  }

  releaseControl(reason: ControlReleaseReason): void {
    if (!this.consents.has('control')) return;
    this.consents.withdraw('control');
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.sendOrKeep({ type: 'control-released', reason });
    if (this.ask === 'control') this.ask = null;
    this.render();
    this.ui.announce(this.text('controlBack'));
  }

  /** Consent and control frames must reach the gateway: kept while the socket is down. */
  private sendOrKeep(frame: CustomerFrame): void {
    if (!this.connection.send(frame)) this.unsent.push(frame);
  }

  // ---- recording ------------------------------------------------------------------------

  private pathAndQuery(): string {
    return this.win.location.pathname + this.win.location.search;
  }

  private currentPlan(): MaskingPlan {
    const path = this.pathAndQuery();
    if (!this.plan || path !== this.planPath) {
      this.plan = planMasking(this.masking, path, this.doc);
      this.planPath = path;
      if (this.plan.invalidSelectors.length) {
        console.warn(
          '[agent-desk-cobrowse] masking every text: invalid selectors',
          this.plan.invalidSelectors,
        );
      }
    }
    return this.plan;
  }

  /**
   * Live: recording starts once the page has painted the live bar, so the customer's Allow
   * shows at once and the first full snapshot (the one long piece of work) comes after.
   */
  private goLive(): void {
    this.phase = 'live';
    this.ask = null;
    this.clearExpiry();
    this.plan = null;
    const generation = ++this.generation;
    const start = () => {
      if (generation !== this.generation || this.phase !== 'live' || this.reconnecting) return;
      try {
        this.recorder.start(this.currentPlan());
      } catch (error) {
        // Without a recorder there is no co-browse: say so, and end it for the agent too.
        console.warn('[agent-desk-cobrowse]', error);
        this.guard(() => {
          this.connection.send({ type: 'end' });
          this.finish('unavailable');
        });
      }
    };
    if (typeof this.win.requestAnimationFrame === 'function') {
      this.win.requestAnimationFrame(() => setTimeout(start, 0));
    } else {
      setTimeout(start, 0);
    }
  }

  private stopLive(): void {
    this.generation++;
    this.recorder.stop();
    this.batcher.clear();
    this.ui.clearOverlays();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private onRecorded(event: RecordedEvent): void {
    if (this.phase !== 'live' || !this.consents.has('view')) return;
    this.batcher.push(event);
  }

  /**
   * Before a batch goes: if the page moved to a URL with other rules (a single-page shop),
   * what is pending was masked under the old ones: drop it and record again under the new.
   */
  private beforeFlush(): boolean {
    const before = this.plan;
    const plan = this.currentPlan();
    if (
      before &&
      plan.ruleKey === before.ruleKey &&
      plan.invalidSelectors.length === before.invalidSelectors.length
    ) {
      if (this.needsCheckout && this.connection.bufferedAmount < MAX_BUFFERED_BYTES / 2) {
        this.needsCheckout = false;
        setTimeout(() => this.guard(() => this.recorder.checkout()), 0);
        return false;
      }
      this.ui.schedulePosition();
      return true;
    }
    setTimeout(
      () =>
        this.guard(() => {
          if (this.phase !== 'live') return;
          this.batcher.clear();
          this.recorder.start(this.currentPlan());
        }),
      0,
    );
    return false;
  }

  private sendBatchFrame(encoded: EncodedFrame): boolean {
    if (this.connection.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.needsCheckout = true;
      return false;
    }
    const sent = this.connection.sendText(encoded.text);
    if (!sent) this.needsCheckout = true;
    return sent;
  }

  private nextSeq(): number {
    if (!this.stored) return 1;
    this.stored.seq += 1;
    this.store.save(this.stored);
    return this.stored.seq;
  }

  // ---- the end ---------------------------------------------------------------------------

  private watchExpiry(): void {
    this.clearExpiry();
    const expiresAt = Date.parse(this.stored?.expiresAt ?? '');
    if (Number.isNaN(expiresAt)) return;
    this.expiryTimer = setTimeout(
      () =>
        this.guard(() => {
          if (this.phase !== 'waiting') return;
          this.connection.send({ type: 'end' });
          this.finish(null);
          this.showNotice({ kind: 'notice', message: 'expired', action: 'new-code' });
        }),
      Math.max(0, expiresAt - Date.now()) + 1_000,
    );
  }

  private clearExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }

  /** Everything stops: recording, control, the socket, the stored session. */
  private finish(message: MessageKey | null): void {
    this.stopLive();
    this.clearExpiry();
    this.connection.close();
    this.store.clear();
    this.stored = null;
    this.awaiting = null;
    this.reconnecting = false;
    this.consents.clear();
    this.unsent = [];
    this.agent = '';
    this.masking = null;
    this.plan = null;
    this.ask = null;
    this.phase = 'idle';
    if (message) this.showNotice({ kind: 'notice', message, action: 'close' });
    else this.render();
  }

  private showNotice(notice: Notice): void {
    this.clearNotice();
    this.notice = notice;
    this.noticeTimer = setTimeout(
      () =>
        this.guard(() => {
          this.notice = null;
          this.render();
        }),
      NOTICE_MS,
    );
    this.render();
  }

  private clearNotice(): void {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.noticeTimer = null;
    this.notice = null;
  }

  // ---- the view --------------------------------------------------------------------------

  private viewState(): ViewState {
    const levels = this.consents.levels();
    let live: ViewState['live'] = null;
    if (this.phase === 'resuming') live = { agent: this.agent, level: 'view', reconnecting: true };
    else if (this.phase === 'live')
      live = {
        agent: this.agent,
        level: levels[levels.length - 1] ?? 'view',
        reconnecting: this.reconnecting,
      };
    let panel: Panel | null = null;
    if (this.phase === 'connecting') panel = { kind: 'connecting' };
    else if (this.phase === 'waiting') panel = { kind: 'code', code: this.stored?.code ?? '' };
    else if (this.ask && (this.phase === 'asking' || this.phase === 'live'))
      panel = { kind: 'ask', level: this.ask, agent: this.agent };
    else if (this.phase === 'declined') panel = { kind: 'notice', message: 'declined', action: 'close' };
    else if (this.phase === 'idle') panel = this.notice;
    return { button: this.phase === 'idle' && !this.notice, live, panel };
  }

  private render(): void {
    this.ui.render(this.viewState());
  }

  /** Removes the snippet from the page (tests; a shop never needs it). */
  destroy(): void {
    this.finish(null);
    this.clearNotice();
    for (const [target, type, handler, options] of this.listeners)
      target.removeEventListener(type, handler, options);
    this.ui.destroy();
  }
}
