import type { AgentCobrowseMessage } from '../../../shared/cobrowse-protocol';
import type { CobrowseMessage, CobrowseSession } from '../../../shared/contract';
import { desk } from '../../app/desk';
import {
  useCobrowseStore,
  type ActiveCobrowse,
  type AskableLevel,
  type CobrowseLink,
} from '../../stores/cobrowse';
import { recordCallAction } from '../../stores/interaction';
import { useOrdersStore } from '../../stores/orders';
import { selectCurrentCall, useSoftphoneStore } from '../../stores/softphone';
import { COBROWSE_CALL_ACTION } from '../wrap-up/call-action-name';
import { ReplayFeed } from './replay-feed';

/**
 * The desk's side of a co-browse session: joins, routes what the customer's page sends (events to
 * the replay, the rest to the store), sends the agent's pointer, highlights, requests and
 * control, and records the session in the call's history when it ends. One session at a time.
 */

const feeds = new Map<string, ReplayFeed>();
/** Messages for a session whose join answer is on its way (main sends them first). */
let joining = false;
let early: CobrowseMessage[] = [];

/** The session's replay feed (made on first use). */
export function feedOf(sessionId: string): ReplayFeed {
  let feed = feeds.get(sessionId);
  if (!feed) {
    feed = new ReplayFeed(() => {
      sendToCustomer({ type: 'resync' }).catch(() => undefined);
    });
    feeds.set(sessionId, feed);
  }
  return feed;
}

/** What a session joined now is linked to: the call being talked on and the order on screen. */
export function currentLink(): CobrowseLink {
  const call = selectCurrentCall(useSoftphoneStore.getState());
  const talking = call?.answeredAt && (call.status === 'active' || call.status === 'held') ? call : null;
  const order = useOrdersStore.getState().selectedOrder;
  return {
    interactionId: talking?.id ?? null,
    number: talking ? talking.remoteName || talking.remoteNumber : null,
    orderId: order?.id ?? null,
    displayNumber: order?.displayNumber ?? null,
  };
}

/** Joins with the customer's code; throws DeskError (NOT_FOUND, RATE_LIMITED, FORBIDDEN, ...). */
export async function joinCobrowse(code: string, link: CobrowseLink): Promise<void> {
  joining = true;
  early = [];
  try {
    const session = await desk.cobrowse.join({
      code,
      ...(link.interactionId ? { interactionId: link.interactionId } : {}),
      ...(link.orderId ? { orderId: link.orderId } : {}),
    });
    take(session, link);
    for (const message of early) if (message.sessionId === session.sessionId) receiveCobrowse(message);
  } finally {
    joining = false;
    early = [];
  }
}

/** A `cobrowse.message` from main. */
export function receiveCobrowse({ sessionId, message }: CobrowseMessage): void {
  const store = useCobrowseStore.getState();
  const session = store.session;
  if (session?.sessionId !== sessionId || session.ended) {
    if (joining) early.push({ sessionId, message });
    return;
  }
  if (message.type === 'events' || message.type === 'chunk') {
    feedOf(sessionId).push(message);
    return;
  }
  if (message.type === 'state' && message.state === 'reconnecting') feedOf(sessionId).expectSnapshot();
  store.apply(message);
  if (message.type === 'ended') {
    feeds.delete(sessionId);
    recordInCallHistory(session);
  }
}

/** Sends into the session on screen; throws DeskError when main or the gateway refuses. */
export async function sendToCustomer(message: AgentCobrowseMessage): Promise<void> {
  const session = useCobrowseStore.getState().session;
  if (!session || session.ended) return;
  await desk.cobrowse.send({ sessionId: session.sessionId, message });
}

/** Asks the customer for the next consent level. */
export async function askConsent(level: AskableLevel): Promise<void> {
  const store = useCobrowseStore.getState();
  store.asked(level);
  try {
    await sendToCustomer({ type: 'consent-request', level });
  } catch (err) {
    store.askFailed(level);
    throw err;
  }
}

/** Ends the session for both sides (main answers with the session's end). */
export async function leaveCobrowse(): Promise<void> {
  const session = useCobrowseStore.getState().session;
  if (!session || session.ended) return;
  await desk.cobrowse.leave({ sessionId: session.sessionId });
}

/**
 * After a window reload, main still holds the session the agent was in: show it again, and ask
 * for a snapshot, since the replay starts with nothing.
 */
export async function takeUpSessions(): Promise<void> {
  const [session] = await desk.cobrowse.sessions();
  if (!session || useCobrowseStore.getState().session) return;
  take(session, {
    interactionId: session.interactionId,
    number: null,
    orderId: session.orderId,
    displayNumber: null,
  });
  if (session.state === 'live') sendToCustomer({ type: 'resync' }).catch(() => undefined);
}

/** Forgets everything (sign-out): main ends the sessions on its side. */
export function resetCobrowse(): void {
  feeds.clear();
  joining = false;
  early = [];
  useCobrowseStore.getState().reset();
}

function take(session: CobrowseSession, link: CobrowseLink): void {
  feeds.clear();
  useCobrowseStore.getState().joined(session, link);
}

/** The session, as it ended, in its call's history: with its order, and whether it was seen. */
function recordInCallHistory(session: ActiveCobrowse): void {
  const callId = session.link.interactionId;
  const open = useOrdersStore.getState().selectedOrder;
  const orderId = session.link.orderId ?? open?.id;
  if (!callId || !orderId) return;
  const displayNumber =
    session.link.displayNumber ?? (open?.id === orderId ? open.displayNumber : null) ?? orderId;
  recordCallAction(callId, {
    orderId,
    displayNumber,
    type: COBROWSE_CALL_ACTION,
    outcome: session.wasLive ? 'applied' : session.state === 'refused' ? 'refused' : 'failed',
    at: new Date().toISOString(),
  });
}
