import { join } from 'node:path';
import type { AppInfo, ContractEvents, EventName, Language } from '../shared/contract';
import type { DeskError } from '../shared/errors';
import { createDispatch, type Dispatch } from './dispatch';
import { createHandlers } from './handlers';
import { AgentStateReporter } from './services/agent-state/AgentStateReporter';
import { CallHistoryStore } from './services/calls/CallHistoryStore';
import type { DesktopAdapters } from './services/desktop/desktop-adapters';
import { GlobalHotkeys } from './services/desktop/GlobalHotkeys';
import { IncomingCallNotifier } from './services/desktop/IncomingCallNotifier';
import { TrayStatus } from './services/desktop/TrayStatus';
import { SessionService } from './services/session/SessionService';
import { SettingsStore } from './services/settings/SettingsStore';
import type { KeyProvider } from './services/telephony/KeyProvider';
import { PhoneSettingsStore } from './services/telephony/PhoneSettingsStore';
import { SecretStore } from './services/telephony/SecretStore';
import { TelephonyService } from './services/telephony/TelephonyService';

export interface DeskServicesOptions {
  /** Folder for this installation's files (Electron's userData, or a temp dir in the harness). */
  dataDir: string;
  appInfo: AppInfo;
  defaultLanguage: Language;
  defaultGatewayUrl: string;
  demoGatewayUrl: string | null;
  /** Notifications, hotkeys, tray and window: Electron's in the app, Node stand-ins in the harness. */
  desktop: DesktopAdapters;
  /** Encrypts the SIP password: safeStorage in the app, a test key in the harness. */
  keyProvider: KeyProvider;
  /** better-sqlite3 addon built for this runtime's ABI, if not the default one (see CallHistoryStore). */
  sqliteBinding?: string;
  onError?: (method: string, err: DeskError) => void;
}

export type EventSink = <E extends EventName>(event: E, payload: ContractEvents[E]) => void;

/**
 * The main process's services, wired together without Electron, so the Electron entry point and
 * the test harness run exactly the same code.
 */
export class DeskServices {
  readonly settings: SettingsStore;
  readonly session: SessionService;
  readonly phoneSettings: PhoneSettingsStore;
  readonly secrets: SecretStore;
  readonly telephony: TelephonyService;
  readonly agentState: AgentStateReporter;
  readonly hotkeys: GlobalHotkeys;
  readonly notifier: IncomingCallNotifier;
  readonly tray: TrayStatus;
  readonly dispatch: Dispatch;
  private callHistoryStore: CallHistoryStore | null = null;
  private readonly sinks = new Set<EventSink>();

  constructor(private readonly options: DeskServicesOptions) {
    this.settings = new SettingsStore(join(options.dataDir, 'settings.json'), {
      language: options.defaultLanguage,
      gatewayUrl: options.defaultGatewayUrl,
    });
    this.session = new SessionService({
      client: { name: 'agent-desk', version: options.appInfo.version },
    });
    this.phoneSettings = new PhoneSettingsStore(join(options.dataDir, 'phone.json'));
    this.secrets = new SecretStore(join(options.dataDir, 'secrets.json'), options.keyProvider);
    this.telephony = new TelephonyService({
      settings: this.phoneSettings,
      secrets: this.secrets,
      isSignedIn: () => this.session.session.user !== null,
      unavailableHotkeys: () => this.hotkeys.unavailable,
    });
    this.agentState = new AgentStateReporter(this.session, (err) =>
      options.onError?.('agent.setState', err as DeskError),
    );
    this.hotkeys = new GlobalHotkeys(options.desktop.hotkeys, (action) =>
      this.emit('hotkey.pressed', { action }),
    );
    this.notifier = new IncomingCallNotifier(options.desktop.notifications, options.desktop.window, {
      shown: (notification) => this.emit('notification.shown', notification),
      action: (action) => this.emit('notification.action', action),
    });
    this.tray = new TrayStatus(options.desktop.tray);
    this.dispatch = createDispatch(
      createHandlers({
        appInfo: options.appInfo,
        settings: this.settings,
        session: this.session,
        demoGatewayUrl: options.demoGatewayUrl,
        telephony: this.telephony,
        agentState: this.agentState,
        callHistory: {
          record: (call) => this.callHistory.record(call),
          setDisposition: (update) => this.callHistory.setDisposition(update),
          recent: (limit) => this.callHistory.recent(limit),
        },
        notifier: this.notifier,
        tray: this.tray,
      }),
      options.onError,
    );
    this.session.onSessionChanged((state) => this.emit('session.changed', state));
    this.session.onConnectionChanged((state) => this.emit('connection.changed', state));
    this.session.onOrderEvent(({ seq, order }) => this.emit('order.changed', { seq, order }));
    this.telephony.onChanged((settings) => this.hotkeys.apply(settings.hotkeys));
  }

  /** Opened at start(), so constructing the services never touches the disk. */
  get callHistory(): CallHistoryStore {
    if (!this.callHistoryStore) throw new Error('DeskServices.start() has not run');
    return this.callHistoryStore;
  }

  async start(): Promise<void> {
    await Promise.all([this.settings.start(), this.phoneSettings.start(), this.secrets.start()]);
    this.callHistoryStore = new CallHistoryStore(join(this.options.dataDir, 'call-history.db'), {
      ...(this.options.sqliteBinding ? { nativeBinding: this.options.sqliteBinding } : {}),
    });
    this.hotkeys.apply(this.phoneSettings.get().hotkeys);
  }

  async stop(): Promise<void> {
    this.hotkeys.stop();
    this.agentState.stop();
    await this.session.stop();
    this.callHistoryStore?.close();
    this.callHistoryStore = null;
  }

  /** Adds a receiver of contract events (a window, a harness connection); returns its remover. */
  addEventSink(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  private emit<E extends EventName>(event: E, payload: ContractEvents[E]): void {
    for (const sink of this.sinks) sink(event, payload);
  }
}
