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
  /** Announcements per second over all queues (default 5, bursts of 20). */
  rate?: { perSecond: number; burst: number };
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
/** Orders searched per caller number: one customer's numbers rarely span more. */
const PHONE_MATCHES = 20;

type StoredWaiting = Omit<QueueWaiting, 'callerNumber'> & { callerNumber: string | null };

/**
 * Who is waiting in which queue, as the ACD/PBX or IVR tells the gateway, passed on to the desks
 * that serve the queue as a `queue` notice so they prefetch those customers' orders. The gateway
 * identifies each caller (customer id, else the IVR order's customer, else the customer with
 * that phone number) because only it holds unmasked phone numbers; each desk then receives the
 * caller number as its role may see a phone number. Bounded: 50 callers per announcement
 * (schema) and a rate over all queues.
 */
export class QueueAnnouncements {
  private readonly bucket: TokenBucket;

  constructor(private readonly deps: QueueAnnouncementsDeps) {
    const rate = deps.rate ?? DEFAULT_RATE;
    this.bucket = new TokenBucket(rate.perSecond, rate.burst);
  }

  /** Validates and delivers one announcement; BAD_REQUEST or RATE_LIMITED as DeskError. */
  async announce(input: unknown): Promise<AnnouncementOutcome> {
    const parsed = QueueAnnouncement.safeParse(input);
    if (!parsed.success) throw new DeskError('BAD_REQUEST', summarizeIssues(parsed.error));
    if (!this.bucket.tryTake())
      throw new DeskError('RATE_LIMITED', 'Too many queue announcements: slow down');
    const { queue, roles = [], agents = [], waiting } = parsed.data;
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
    const { items } = await this.deps.orders.search({ text: digits, limit: PHONE_MATCHES });
    // The search matches a substring of the digits: only the whole number identifies the caller.
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
