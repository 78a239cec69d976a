import { join } from 'node:path';
import type { AppInfo, ContractEvents, EventName, Language } from '../shared/contract';
import type { DeskError } from '../shared/errors';
import { createDispatch, type Dispatch } from './dispatch';
import { createHandlers } from './handlers';
import { SessionService } from './services/session/SessionService';
import { SettingsStore } from './services/settings/SettingsStore';

export interface DeskServicesOptions {
  /** Folder for this installation's files (Electron's userData, or a temp dir in the harness). */
  dataDir: string;
  appInfo: AppInfo;
  defaultLanguage: Language;
  defaultGatewayUrl: string;
  demoGatewayUrl: string | null;
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
  readonly dispatch: Dispatch;
  private readonly sinks = new Set<EventSink>();

  constructor(options: DeskServicesOptions) {
    this.settings = new SettingsStore(join(options.dataDir, 'settings.json'), {
      language: options.defaultLanguage,
      gatewayUrl: options.defaultGatewayUrl,
    });
    this.session = new SessionService({
      client: { name: 'agent-desk', version: options.appInfo.version },
    });
    this.dispatch = createDispatch(
      createHandlers({
        appInfo: options.appInfo,
        settings: this.settings,
        session: this.session,
        demoGatewayUrl: options.demoGatewayUrl,
      }),
      options.onError,
    );
    this.session.onSessionChanged((state) => this.emit('session.changed', state));
    this.session.onConnectionChanged((state) => this.emit('connection.changed', state));
  }

  async start(): Promise<void> {
    await this.settings.start();
  }

  async stop(): Promise<void> {
    await this.session.stop();
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
