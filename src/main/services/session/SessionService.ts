import { EventEmitter } from 'node:events';
import type { ConnectionState, SessionState } from '../../../shared/contract';
import type { AgentUser } from '../../../shared/domain';
import { DeskError, type ErrorInfo } from '../../../shared/errors';
import { refuseInsecureWebSocket } from '../../../shared/transport';
import type {
  CobrowseFrame,
  GatewayMethod,
  GatewayParams,
  GatewayResult,
  Notice,
  OrderEvent,
} from '../../../shared/protocol';
import type { RoleView } from '../../../shared/role-views';
import { GatewayClient, type LinkState } from '../gateway/GatewayClient';
import { OrderEventSubscription } from './OrderEventSubscription';

export interface SessionServiceOptions {
  client: { name: string; version: string };
  /** How long sign-in waits for the gateway before saying it is unreachable. */
  connectTimeoutMs?: number;
  createClient?: (url: string) => GatewayClient;
  /**
   * The order event stream of a signed-in session (the offline cache's OrderSync). Null, or no
   * factory: an OrderEventSubscription from the log's head, for a desk without a cache.
   */
  createOrderStream?: OrderStreamFactory;
}

/** Keeps a signed-in connection subscribed to the order event log. */
export interface OrderStream {
  start(): Promise<void>;
  stop(): void;
}

export type OrderStreamFactory = (
  gateway: GatewayClient,
  user: AgentUser,
  emit: (event: OrderEvent) => void,
) => Promise<OrderStream | null>;

/**
 * The agent's session with one gateway: sign-in, sign-out, the connection's state as the
 * renderer sees it, and authenticated requests.
 */
export class SessionService {
  private gateway: GatewayClient | null = null;
  private user: AgentUser | null = null;
  /** The signed-in user's role view (from the login result, replaced by 'view' notices). */
  private roleView: RoleView | null = null;
  private connection: ConnectionState;
  private readonly emitter = new EventEmitter();
  private unsubscribers: Array<() => void> = [];
  private orderEvents: OrderStream | null = null;
  private readonly createClient: (url: string) => GatewayClient;

  constructor(private readonly options: SessionServiceOptions) {
    this.connection = { status: 'signed_out', since: new Date().toISOString(), reason: null };
    this.createClient = options.createClient ?? ((url) => new GatewayClient({ url, client: options.client }));
  }

  get session(): SessionState {
    return { user: this.user, gatewayUrl: this.gateway?.url ?? null };
  }

  get connectionState(): ConnectionState {
    return this.connection;
  }

  onSessionChanged(listener: (state: SessionState) => void): () => void {
    this.emitter.on('session', listener);
    return () => this.emitter.off('session', listener);
  }

  /** Every order event the gateway streams while signed in. */
  onOrderEvent(listener: (event: OrderEvent) => void): () => void {
    this.emitter.on('order-event', listener);
    return () => this.emitter.off('order-event', listener);
  }

  /** The signed-in user's role view, null while signed out. */
  get view(): RoleView | null {
    return this.roleView;
  }

  /** Every notice the gateway sends while signed in ('view' notices after the view is replaced). */
  onNotice(listener: (notice: Notice) => void): () => void {
    this.emitter.on('notice', listener);
    return () => this.emitter.off('notice', listener);
  }

  /** Co-browse frames from the gateway while signed in (CobrowseSessions keeps only its own). */
  onCobrowse(listener: (frame: CobrowseFrame) => void): () => void {
    this.emitter.on('cobrowse', listener);
    return () => this.emitter.off('cobrowse', listener);
  }

  onConnectionChanged(listener: (state: ConnectionState) => void): () => void {
    this.emitter.on('connection', listener);
    return () => this.emitter.off('connection', listener);
  }

  async login(gatewayUrl: string, username: string, password: string): Promise<SessionState> {
    // The password, the token and customer data would cross the network in clear.
    refuseInsecureWebSocket('gateway', gatewayUrl);
    await this.logout();
    const gateway = this.createClient(gatewayUrl);
    this.attach(gateway);
    gateway.start();
    try {
      await gateway.waitOnline(this.options.connectTimeoutMs ?? 5000);
      const result = await gateway.request('auth.login', { username, password });
      gateway.setSignIn(result);
      this.user = result.user;
      this.roleView = result.view;
      // Live updates keep open orders fresh; without them the desk still works, so a failure
      // here (or of a later resubscribe) never fails the sign-in. The next reconnect retries.
      const ignore = () => undefined;
      const emit = (event: OrderEvent) => this.emitter.emit('order-event', event);
      this.orderEvents =
        (await this.options.createOrderStream?.(gateway, result.user, emit)) ??
        new OrderEventSubscription(gateway, emit, ignore);
      await this.orderEvents.start().catch(ignore);
    } catch (err) {
      await this.detach();
      this.setConnection({ status: 'signed_out', since: new Date().toISOString(), reason: null });
      throw DeskError.from(err);
    }
    this.emitter.emit('session', this.session);
    return this.session;
  }

  async logout(): Promise<SessionState> {
    const hadSession = this.gateway !== null;
    await this.endSignInAtGateway();
    await this.detach();
    this.user = null;
    this.roleView = null;
    this.setConnection({ status: 'signed_out', since: new Date().toISOString(), reason: null });
    if (hadSession) this.emitter.emit('session', this.session);
    return this.session;
  }

  async request<M extends GatewayMethod>(method: M, params: GatewayParams<M>): Promise<GatewayResult<M>> {
    if (!this.gateway || !this.user) throw new DeskError('NOT_SIGNED_IN', 'Sign in first');
    return this.gateway.request(method, params);
  }

  async stop(): Promise<void> {
    await this.detach();
  }

  private attach(gateway: GatewayClient): void {
    this.gateway = gateway;
    this.unsubscribers = [
      gateway.onState((state) => this.setConnection(toConnectionState(state))),
      gateway.onNotice((notice) => {
        if (!this.user) return;
        // Only the own role's view replaces the one in use (admins also hear of others' saves).
        if (notice.kind === 'view' && notice.view.role === this.user.role) this.roleView = notice.view;
        this.emitter.emit('notice', notice);
      }),
      gateway.onCobrowse((frame) => {
        if (this.user) this.emitter.emit('cobrowse', frame);
      }),
      gateway.onSessionRejected((reason) => {
        // The gateway no longer accepts this sign-in: sign out and say why.
        this.endSignIn(
          reason.code === 'SESSION_ENDED'
            ? reason
            : { code: 'SESSION_EXPIRED', message: 'The session expired; sign in again' },
        );
      }),
      gateway.onRenewed((result) => {
        // The desk's cache and view belong to the user and role it signed in with.
        if (result.user.id !== this.user?.id || result.user.role !== this.user.role) {
          this.endSignIn({ code: 'SESSION_ENDED', message: 'Your role changed: sign in again' });
          return;
        }
        this.user = result.user;
        this.roleView = result.view;
      }),
    ];
  }

  /**
   * Tells the gateway the sign-in is over, so that its refresh token (and any copy of it) stops
   * working now rather than at its expiry. Offline there is no one to tell: the token leaves with
   * this process's memory. A failure here must not keep the agent signed in, so it is not thrown.
   */
  private async endSignInAtGateway(): Promise<void> {
    if (!this.gateway || !this.user || this.gateway.state.status !== 'online') return;
    try {
      await this.gateway.request('auth.logout', {});
    } catch {
      // Best effort, as above.
    }
  }

  private endSignIn(reason: ErrorInfo): void {
    void this.logout().then(() =>
      this.setConnection({ status: 'signed_out', since: new Date().toISOString(), reason }),
    );
  }

  private async detach(): Promise<void> {
    this.orderEvents?.stop();
    this.orderEvents = null;
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers = [];
    const gateway = this.gateway;
    this.gateway = null;
    if (gateway) await gateway.stop();
  }

  private setConnection(state: ConnectionState): void {
    this.connection = state;
    this.emitter.emit('connection', state);
  }
}

function toConnectionState(state: LinkState): ConnectionState {
  return { status: state.status, since: state.since.toISOString(), reason: state.reason };
}
