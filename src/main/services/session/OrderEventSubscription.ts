import type { OrderEvent } from '../../../shared/protocol';
import type { GatewayClient } from '../gateway/GatewayClient';

/**
 * Keeps one signed-in gateway connection subscribed to the order event log: first from the
 * log's head (a desk without a cache has nothing to replay), then after every reconnect from
 * the last seq it saw (the gateway replays the gap), and after a resync from the head the
 * gateway names. The offline cache will later start from its stored seq instead.
 */
export class OrderEventSubscription {
  private lastSeq: number | null = null;
  private readonly unsubscribers: Array<() => void>;
  private stopped = false;

  constructor(
    private readonly gateway: GatewayClient,
    private readonly onOrderEvent: (event: OrderEvent) => void,
    private readonly onError: (err: unknown) => void,
  ) {
    this.unsubscribers = [
      gateway.onEvent((event) => {
        // Replays after a reconnect may overlap what was already seen.
        if (this.lastSeq !== null && event.seq <= this.lastSeq) return;
        this.lastSeq = event.seq;
        this.onOrderEvent(event);
      }),
      gateway.onResync(({ headSeq }) => {
        this.lastSeq = headSeq;
        this.subscribe();
      }),
      gateway.onState((state) => {
        // The hello of a reconnect carries the token, so the connection is signed in again.
        if (state.status !== 'online' || this.stopped) return;
        if (this.lastSeq === null) this.start().catch(this.onError);
        else this.subscribe();
      }),
    ];
  }

  /** Subscribes from the log's head (again on a reconnect if this failed); resolves once accepted. */
  async start(): Promise<void> {
    const { headSeq } = await this.gateway.request('events.head', {});
    this.lastSeq = headSeq;
    await this.gateway.request('events.subscribe', { fromSeq: headSeq });
  }

  stop(): void {
    this.stopped = true;
    for (const unsubscribe of this.unsubscribers) unsubscribe();
  }

  private subscribe(): void {
    if (this.stopped || this.lastSeq === null) return;
    this.gateway.request('events.subscribe', { fromSeq: this.lastSeq }).catch(this.onError);
  }
}
