import { join } from 'node:path';
import type { AppInfo, ContractEvents, EventName, Language } from '../shared/contract';
import { DeskError } from '../shared/errors';
import { createDispatch, type Dispatch } from './dispatch';
import { createHandlers } from './handlers';
import { AgentStateReporter } from './services/agent-state/AgentStateReporter';
import { OrderCacheClient } from './services/cache/OrderCacheClient';
import type { OrderCachePolicy } from './services/cache/order-cache-policy';
import { CallHistory } from './services/calls/CallHistory';
import { CobrowseSessions } from './services/cobrowse/CobrowseSessions';
import type { DesktopAdapters } from './services/desktop/desktop-adapters';
import { GlobalHotkeys } from './services/desktop/GlobalHotkeys';
import { IncomingCallNotifier } from './services/desktop/IncomingCallNotifier';
import { TrayStatus } from './services/desktop/TrayStatus';
import { readOrderCachePolicy } from './services/offline/it-policy';
import { encodeOutboxReason, OfflineOrders } from './services/offline/OfflineOrders';
import { Outbox } from './services/outbox/Outbox';
import { SessionService } from './services/session/SessionService';
import { OrderSync } from './services/sync/OrderSync';
import { QueuePrefetcher } from './services/sync/QueuePrefetcher';
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
  /** Wraps the data keys and the SIP password: safeStorage in the app, a test key in the harness. */
  keyProvider: KeyProvider;
  /** better-sqlite3 addon built for this runtime's ABI, if not the default one (see CallHistoryStore). */
  sqliteBinding?: string;
  /** Overrides the IT policy file (`it-policy.json` in dataDir) for the order cache. */
  orderCachePolicy?: Partial<OrderCachePolicy>;
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
  readonly offline: OfflineOrders;
  readonly outbox: Outbox;
  readonly cobrowse: CobrowseSessions;
  private callHistoryService: CallHistory | null = null;
  private orderCacheClient: OrderCacheClient | null = null;
  private orderSync: OrderSync | null = null;
  private queuePrefetcher: QueuePrefetcher | null = null;
  private readonly sinks = new Set<EventSink>();

  constructor(private readonly options: DeskServicesOptions) {
    this.settings = new SettingsStore(join(options.dataDir, 'settings.json'), {
      language: options.defaultLanguage,
      gatewayUrl: options.defaultGatewayUrl,
    });
    this.session = new SessionService({
      client: { name: 'agent-desk', version: options.appInfo.version },
      createOrderStream: async (gateway, user, emit) => {
        // Another user's or role's cache is wiped before this session reads or streams into it.
        await this.offline.prepareFor(user);
        if (!this.orderCache.enabled) return null;
        const sync = new OrderSync({
          gateway,
          cache: this.orderCache,
          outbox: this.outbox,
          onOrderChanged: emit,
          onOutboxSettled: () => this.notifyOffline(),
          onError: (err) => options.onError?.('orders.sync', DeskError.from(err)),
          // Refetched orders came without events: an open order in the renderer updates all the same.
          onOrdersRefetched: (orders, headSeq) => {
            for (const order of orders) this.emit('order.changed', { seq: headSeq, order });
          },
        });
        const prefetcher = new QueuePrefetcher({
          gateway,
          cache: this.orderCache,
          onError: (err) => options.onError?.('orders.prefetch', DeskError.from(err)),
        });
        this.orderSync = sync;
        this.queuePrefetcher = prefetcher;
        return {
          start: async () => {
            prefetcher.start();
            await sync.start();
          },
          stop: () => {
            prefetcher.stop();
            sync.stop();
            if (this.queuePrefetcher === prefetcher) this.queuePrefetcher = null;
          },
        };
      },
    });
    const cache = () => this.orderCache;
    this.outbox = new Outbox(
      {
        outboxEnqueue: (request) => cache().outboxEnqueue(request),
        outboxList: (status) => cache().outboxList(status),
        outboxSettle: (key, settlement) => cache().outboxSettle(key, settlement),
      },
      encodeOutboxReason,
    );
    this.offline = new OfflineOrders({
      cache,
      outbox: this.outbox,
      session: this.session,
      ownerPath: join(options.dataDir, 'order-cache.owner.json'),
      dismissedPath: join(options.dataDir, 'offline-tasks-dismissed.json'),
      onChanged: (state) => this.emit('offline.changed', state),
      onError: (err) => options.onError?.('orders.cache', DeskError.from(err)),
      waitingCustomer: (e164) => this.queuePrefetcher?.customerOfCaller(e164) ?? null,
      // The call history follows the cache's rules: sign-out, another user or role.
      alsoWipe: () => this.callHistory.wipe(),
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
    this.cobrowse = new CobrowseSessions({
      session: this.session,
      emit: (message) => this.emit('cobrowse.message', message),
      onError: (err) => options.onError?.('cobrowse', DeskError.from(err)),
    });
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
          autoSaveWrapUp: (wrapUp) => this.callHistory.autoSaveWrapUp(wrapUp),
          recent: (limit) => this.callHistory.recent(limit),
          addAction: (record) => this.callHistory.addAction(record),
        },
        notifier: this.notifier,
        tray: this.tray,
        offline: this.offline,
        signOut: () => this.signOut(),
        cobrowse: this.cobrowse,
      }),
      options.onError,
    );
    this.session.onSessionChanged((state) => this.emit('session.changed', state));
    this.session.onConnectionChanged((state) => this.emit('connection.changed', state));
    this.session.onOrderEvent(({ seq, order }) => this.emit('order.changed', { seq, order }));
    this.session.onNotice((notice) => {
      if (notice.kind === 'view') this.emit('view.changed', notice.view);
      else if (notice.kind === 'approval') this.emit('approval.changed', notice.approval);
      else if (notice.kind === 'team') this.emit('team.changed', {});
      // 'queue' is for the QueuePrefetcher, which listens on the gateway itself.
    });
    this.telephony.onChanged((settings) => this.hotkeys.apply(settings.hotkeys));
  }

  /** Opened at start(), so constructing the services never touches the disk. */
  get callHistory(): CallHistory {
    if (!this.callHistoryService) throw new Error('DeskServices.start() has not run');
    return this.callHistoryService;
  }

  /** Opened at start() with the IT policy. */
  get orderCache(): OrderCacheClient {
    if (!this.orderCacheClient) throw new Error('DeskServices.start() has not run');
    return this.orderCacheClient;
  }

  async start(): Promise<void> {
    await Promise.all([this.settings.start(), this.phoneSettings.start(), this.secrets.start()]);
    const policy = {
      ...(await readOrderCachePolicy(join(this.options.dataDir, 'it-policy.json'))),
      ...this.options.orderCachePolicy,
    };
    this.orderCacheClient = new OrderCacheClient({
      path: join(this.options.dataDir, 'order-cache.db'),
      keys: this.options.keyProvider,
      policy,
      ...(this.options.sqliteBinding ? { nativeBinding: this.options.sqliteBinding } : {}),
    });
    await this.orderCacheClient.start();
    this.callHistoryService = new CallHistory({
      path: join(this.options.dataDir, 'call-history.db'),
      keys: this.options.keyProvider,
      // One rule for personal data at rest: where IT keeps no order cache, no call history either.
      enabled: this.orderCacheClient.policy.enabled,
      ...(this.options.sqliteBinding ? { nativeBinding: this.options.sqliteBinding } : {}),
    });
    await this.callHistoryService.start();
    await this.offline.start();
    this.hotkeys.apply(this.phoneSettings.get().hotkeys);
  }

  async stop(): Promise<void> {
    this.hotkeys.stop();
    this.agentState.stop();
    this.cobrowse.stop();
    this.offline.stop();
    await this.session.stop();
    this.orderSync = null;
    await this.orderCacheClient?.stop();
    this.orderCacheClient = null;
    this.callHistoryService?.stop();
    this.callHistoryService = null;
  }

  /**
   * Sign-out wipes the cache, outbox included: what is still queued is sent first if the
   * gateway is reachable.
   */
  async signOut(): Promise<void> {
    // The customer's page stops recording now, not when the gateway notices the desk is gone.
    await this.cobrowse.leaveAll();
    const sync = this.orderSync;
    if (sync && this.session.connectionState.status === 'online') {
      await sync
        .replayOutbox()
        .catch((err: unknown) => this.options.onError?.('orders.sync', DeskError.from(err)));
    }
    this.orderSync = null;
    await this.session.logout();
    await this.offline.wipe();
  }

  private notifyOffline(): void {
    this.offline.notify().catch((err: unknown) => this.options.onError?.('offline.get', DeskError.from(err)));
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
