import type { Logger } from 'pino';
import { DeskError } from '../../shared/errors';
import type { EventCause } from '../../shared/protocol';
import type { OrderChange, OrderChanges } from '../orders/order-changes';
import type { OrderStore } from '../orders/order-store';
import { SeededRandom } from './random';
import {
  STEP_FROM_STATUS,
  applySimulatedStep,
  placeOrderLike,
  type SimulatedStep,
} from './simulated-changes';
import { RepeatingTask } from './repeating-task';

export interface DemoSimulatorOptions {
  /** Time between two changes. */
  intervalMs: number;
  seed: number;
  /** Epoch ms; injectable so that a run can be replayed exactly. */
  now?: () => number;
}

type SimulatorMove = SimulatedStep | 'place';

/** Parcels move more often than anything else; new orders keep the other steps supplied. */
// prettier-ignore
const MOVE_WEIGHTS: readonly (readonly [SimulatorMove, number])[] = [
  ['place', 1], ['pay', 2], ['fulfil', 2], ['ship', 2], ['advance_shipment', 5],
];
/** Orders are picked among the newest in a status: recent orders are the ones still moving. */
const CANDIDATES = 50;
const CAUSE: EventCause = { source: 'simulator' };

/**
 * The demo's traffic: a plausible order change every `intervalMs` (payment arrives, the
 * warehouse picks and ships, the carrier scans, a parcel hits a delivery problem, a customer
 * orders again), written through OrderChanges like any other change. Given the seed, the same
 * store and the same clock, it makes the same changes.
 */
export class DemoSimulator {
  private readonly random: SeededRandom;
  private readonly now: () => number;
  private readonly task: RepeatingTask;
  private placed = 0;

  constructor(
    private readonly deps: { orders: OrderStore; changes: OrderChanges; logger: Logger },
    private readonly options: DemoSimulatorOptions,
  ) {
    if (!Number.isFinite(options.intervalMs) || options.intervalMs < 1) {
      throw new RangeError(`Simulator interval must be at least 1 ms, got ${options.intervalMs}`);
    }
    this.random = new SeededRandom(options.seed);
    this.task = new RepeatingTask(options.intervalMs, () =>
      this.step()
        .then((change) => {
          if (change)
            this.deps.logger.debug({ seq: change.event.seq, orderId: change.order.id }, 'simulated change');
        })
        .catch((err: unknown) => this.deps.logger.warn({ err }, 'simulated change failed')),
    );
    this.now = options.now ?? Date.now;
  }

  /** Starts the timer; each change is made after the previous one finished. */
  start(): void {
    this.task.start();
  }

  /** Stops the timer and waits for a change in progress. */
  close(): Promise<void> {
    return this.task.close();
  }

  /** Makes one change; null when no order was in a state to change or another writer won. */
  async step(): Promise<OrderChange | null> {
    const first = this.random.weighted(MOVE_WEIGHTS);
    // The picked move first, then the others: a store with no paid orders still sees parcels move.
    const moves = [first, ...MOVE_WEIGHTS.map(([move]) => move).filter((move) => move !== first)];
    for (const move of moves) {
      const change = move === 'place' ? await this.place() : await this.advance(move);
      if (change !== undefined) return change;
    }
    return null;
  }

  /** undefined: no order in the step's status; null: the order changed under us. */
  private async advance(step: SimulatedStep): Promise<OrderChange | null | undefined> {
    const { items } = await this.deps.orders.search({
      text: '',
      statuses: [STEP_FROM_STATUS[step]],
      limit: CANDIDATES,
    });
    if (items.length === 0) return undefined;
    const current = await this.deps.orders.get(this.random.pick(items).id);
    const next = current && applySimulatedStep(step, current, this.random, this.now());
    if (!current || !next) return undefined;
    try {
      return await this.deps.changes.update(current.id, current.version, () => next, {
        ...CAUSE,
        action: step,
      });
    } catch (err) {
      if (err instanceof DeskError && err.code === 'VERSION_CONFLICT') return null;
      throw err;
    }
  }

  private async place(): Promise<OrderChange | undefined> {
    const { items } = await this.deps.orders.search({ text: '', limit: CANDIDATES });
    if (items.length === 0) return undefined;
    const template = await this.deps.orders.get(this.random.pick(items).id);
    if (!template) return undefined;
    const nowMs = this.now();
    this.placed += 1;
    // The time stamp keeps numbers unique across simulator runs on the same store.
    const number = `S${nowMs.toString(36).toUpperCase()}${String(this.placed).padStart(3, '0')}`;
    const order = placeOrderLike(
      template,
      { id: `ord_ad_${number.toLowerCase()}`, platformOrderId: `AD${number}`, displayNumber: `AD-${number}` },
      nowMs,
    );
    return this.deps.changes.upsert(order, { ...CAUSE, action: 'place' });
  }
}
