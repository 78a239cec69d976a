import type { Logger } from 'pino';
import type { Role } from '../../shared/domain';
import { E164Number, type QueueAnnouncement } from '../../shared/protocol';
import type { OrderStore } from '../orders/order-store';
import type { QueueAnnouncements } from '../queue/queue-announcements';
import { SeededRandom } from './random';
import { RepeatingTask } from './repeating-task';

export interface DemoQueueSimulatorOptions {
  /** Time between two announcements. */
  intervalMs: number;
  seed: number;
}

export const DEMO_QUEUE = 'demo';
const DEMO_QUEUE_ROLES: Role[] = ['frontline', 'after_sales'];
/** Callers are drawn among the customers of the newest orders, as after a busy morning. */
const CANDIDATES = 50;
const MAX_WAITING = 3;

/**
 * The demo's ACD: every `intervalMs` it announces 0-3 customers waiting in the `demo` queue
 * (served by the frontline and after-sales), through the same QueueAnnouncements an ACD's HTTP
 * announcement reaches, so the desks prefetch those customers' orders.
 */
export class DemoQueueSimulator {
  private readonly random: SeededRandom;
  private readonly task: RepeatingTask;

  constructor(
    private readonly deps: { orders: OrderStore; queue: QueueAnnouncements; logger: Logger },
    private readonly options: DemoQueueSimulatorOptions,
  ) {
    if (!Number.isFinite(options.intervalMs) || options.intervalMs < 1) {
      throw new RangeError(`Queue simulator interval must be at least 1 ms, got ${options.intervalMs}`);
    }
    this.random = new SeededRandom(options.seed);
    this.task = new RepeatingTask(options.intervalMs, () =>
      this.step()
        .then((announced) => this.deps.logger.debug({ waiting: announced.waiting.length }, 'queue announced'))
        .catch((err: unknown) => this.deps.logger.warn({ err }, 'queue announcement failed')),
    );
  }

  start(): void {
    this.task.start();
  }

  close(): Promise<void> {
    return this.task.close();
  }

  /** Announces one snapshot of the demo queue; returns what was announced. */
  async step(): Promise<QueueAnnouncement> {
    const { items } = await this.deps.orders.search({ text: '', limit: CANDIDATES });
    const count = items.length === 0 ? 0 : this.random.int(0, MAX_WAITING);
    const nowMs = Date.now();
    const waiting: QueueAnnouncement['waiting'] = [];
    for (let i = 0; i < count; i += 1) {
      const order = await this.deps.orders.get(this.random.pick(items).id);
      if (!order || waiting.some((caller) => caller.customerId === order.customer.id)) continue;
      const phone = order.customer.phone;
      waiting.push({
        customerId: order.customer.id,
        ...(E164Number.safeParse(phone).success ? { callerNumber: phone } : {}),
        since: new Date(nowMs - this.random.int(5, 180) * 1000).toISOString(),
      });
    }
    const announcement = { queue: DEMO_QUEUE, roles: DEMO_QUEUE_ROLES, waiting };
    await this.deps.queue.announce(announcement);
    return announcement;
  }
}
