import { ROLES, type Role } from '../../shared/domain';
import { DeskError } from '../../shared/errors';
import { QueueAnnouncement, type Notice, type QueueCaller, type QueueWaiting } from '../../shared/protocol';
import { ROLE_FIELD_POLICIES, accessTo, maskPhone } from '../../shared/visibility';
import type { OrderStore } from '../orders/order-store';
import { phoneDigits } from '../orders/order-row';
import { TokenBucket } from '../../shared/token-bucket';
import type { DeskRegistry } from '../ws/desk-registry';
import { summarizeIssues } from '../ws/summarize-issues';

export interface QueueAnnouncementsDeps {
  orders: OrderStore;
  desks: DeskRegistry;
  /** Announcements per second of one queue (default 5, bursts of 20). */
  rate?: { perSecond: number; burst: number };
  /** Announcements per second over all queues (default 50, bursts of 100). */
  totalRate?: { perSecond: number; burst: number };
  now?: () => number;
}

export interface AnnouncementOutcome {
  queue: string;
  waiting: number;
  /** Waiting callers the gateway matched to a customer. */
  identified: number;
  /** Desks the notice went to. */
  desks: number;
}

const DEFAULT_RATE = { perSecond: 5, burst: 20 };
const DEFAULT_TOTAL_RATE = { perSecond: 50, burst: 100 };
/** Queues with a bucket of their own; beyond this the longest known one starts afresh. */
const MAX_TRACKED_QUEUES = 1_000;
/** Orders searched per caller number: one customer's numbers rarely span more. */
const PHONE_MATCHES = 20;

type StoredWaiting = Omit<QueueWaiting, 'callerNumber'> & { callerNumber: string | null };

/**
 * Who is waiting in which queue, as the ACD/PBX or IVR tells the gateway, passed on to the desks
 * that serve the queue as a `queue` notice so they prefetch those customers' orders. The gateway
 * identifies each caller (customer id, else the IVR order's customer, else the customer with
 * that phone number) because only it holds unmasked phone numbers; each desk then receives the
 * caller number as its role may see a phone number. Bounded: 50 callers per announcement
 * (schema), a rate per queue (so a chatty queue does not silence the others) and a higher one
 * over all queues.
 */
export class QueueAnnouncements {
  private readonly queueBuckets = new Map<string, TokenBucket>();
  private readonly total: TokenBucket;
  private readonly rate: { perSecond: number; burst: number };

  constructor(private readonly deps: QueueAnnouncementsDeps) {
    this.rate = deps.rate ?? DEFAULT_RATE;
    const total = deps.totalRate ?? DEFAULT_TOTAL_RATE;
    this.total = new TokenBucket(total.perSecond, total.burst);
  }

  /** Validates and delivers one announcement; BAD_REQUEST or RATE_LIMITED as DeskError. */
  async announce(input: unknown): Promise<AnnouncementOutcome> {
    const parsed = QueueAnnouncement.safeParse(input);
    if (!parsed.success) throw new DeskError('BAD_REQUEST', summarizeIssues(parsed.error));
    const { queue, roles = [], agents = [], waiting } = parsed.data;
    const bucket = this.bucketOf(queue);
    // Both must have a token before either is spent: a refusal costs nothing.
    if (bucket.msUntilToken() > 0 || this.total.msUntilToken() > 0)
      throw new DeskError('RATE_LIMITED', `Too many announcements of queue ${queue}: slow down`);
    bucket.tryTake();
    this.total.tryTake();
    const identified = await Promise.all(waiting.map((caller) => this.identify(caller)));
    const at = new Date((this.deps.now ?? Date.now)()).toISOString();
    const serves = (user: { role: Role; username: string }) =>
      roles.includes(user.role) || agents.includes(user.username);
    let desks = 0;
    for (const role of ROLES) {
      const notice: Notice = { kind: 'queue', queue, waiting: identified.map((w) => asSeenBy(role, w)), at };
      desks += this.deps.desks.notify(notice, (user) => user.role === role && serves(user));
    }
    return {
      queue,
      waiting: identified.length,
      identified: identified.filter((w) => w.customerId !== null).length,
      desks,
    };
  }

  private bucketOf(queue: string): TokenBucket {
    let bucket = this.queueBuckets.get(queue);
    if (!bucket) {
      if (this.queueBuckets.size >= MAX_TRACKED_QUEUES) {
        this.queueBuckets.delete(this.queueBuckets.keys().next().value!);
      }
      bucket = new TokenBucket(this.rate.perSecond, this.rate.burst);
      this.queueBuckets.set(queue, bucket);
    }
    return bucket;
  }

  private async identify(caller: QueueCaller): Promise<StoredWaiting> {
    return {
      customerId: caller.customerId ?? (await this.customerOf(caller)),
      callerNumber: caller.callerNumber ?? null,
      ivrOrderNumber: caller.ivrOrderNumber ?? null,
      since: caller.since,
    };
  }

  private async customerOf(caller: QueueCaller): Promise<string | null> {
    if (caller.ivrOrderNumber) {
      const order = await this.deps.orders.find({ displayNumber: caller.ivrOrderNumber });
      if (order) return order.customer.id;
    }
    if (!caller.callerNumber) return null;
    const digits = phoneDigits(caller.callerNumber);
    // Searched as a masked role would: phones match only whole (an index lookup), never a part.
    const { items } = await this.deps.orders.search({ text: digits, limit: PHONE_MATCHES }, 'masked');
    // Order numbers containing the digits match too: only the whole number identifies the caller.
    const match = items.find((item) => phoneDigits(item.customerPhone ?? '') === digits);
    return match ? ((await this.deps.orders.get(match.id))?.customer.id ?? null) : null;
  }
}

/** The caller number as `role` may see a customer's phone number. */
function asSeenBy(role: Role, waiting: StoredWaiting): QueueWaiting {
  const number = waiting.callerNumber;
  if (number === null) return waiting;
  const access = accessTo(ROLE_FIELD_POLICIES[role].grants, 'customer.phone');
  return {
    ...waiting,
    callerNumber: access === 'full' ? number : access === 'masked' ? maskPhone(number) : null,
  };
}
