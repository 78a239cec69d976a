import { z } from 'zod';
import { FieldAccess, FieldClass } from './visibility';

/**
 * Co-browse: the customer's shop page, recorded in the customer's browser by the snippet shops
 * embed (src/cobrowse), relayed by the gateway through a room per session, replayed on the desk.
 *
 * Three parties, three wires, one vocabulary (this file):
 * - snippet <-> gateway: a websocket on COBROWSE_WS_PATH (CustomerFrame / GatewayToCustomerFrame);
 * - desk -> gateway: the agent protocol's `cobrowse.*` methods (src/shared/protocol.ts);
 * - gateway -> desk: the agent protocol's `cobrowse` server frame carrying a CustomerMessage.
 *
 * Masking happens in the customer's browser, before anything is sent: the gateway and the desk
 * never receive what the snippet masked or blocked. Nothing here is stored by the gateway.
 */

export const COBROWSE_WS_PATH = '/v1/cobrowse';
export const COBROWSE_PROTOCOL_VERSION = 1;

/** The code a customer reads out on the phone: 6 digits, single use, valid 10 minutes. */
export const CobrowseCode = z.string().regex(/^\d{6}$/, 'a co-browse code is 6 digits');
export const COBROWSE_CODE_TTL_MS = 10 * 60_000;

/** A frame from the snippet is at most this big; larger event batches are sent in chunks. */
export const MAX_COBROWSE_FRAME_BYTES = 512 * 1024;
/** The snippet splits a serialized event batch above this into `chunk` messages. */
export const COBROWSE_CHUNK_BYTES = 256 * 1024;

/**
 * Consent is layered: the customer first lets the agent see the page, then (asked again) scroll
 * it, then (asked again) click and type in it. Each level needs the one before.
 */
export const CONSENT_LEVELS = ['view', 'scroll', 'control'] as const;
export const ConsentLevel = z.enum(CONSENT_LEVELS);
export type ConsentLevel = z.infer<typeof ConsentLevel>;

/** Why control went back to the customer. */
export const ControlReleaseReason = z.enum(['idle', 'hidden', 'escape', 'stopped', 'agent']);
export type ControlReleaseReason = z.infer<typeof ControlReleaseReason>;

/** Control is released after this long without a remote click or keystroke. */
export const CONTROL_IDLE_MS = 30_000;

const Selector = z.string().min(1).max(300);
const Text = (max: number) => z.string().max(max);
/** An rrweb mirror node id on the customer's page. */
const NodeId = z.number().int().nonnegative();
/** Page (document) coordinates in CSS pixels. */
const Coordinate = z.number().finite().min(-1e6).max(1e7);

/**
 * Extra masking for pages whose URL matches `urlPattern` (a path prefix, or a glob with `*` for
 * any characters, matched against the page's path and query): the shop's fields that carry no
 * `data-agent-desk` tag. Pushed by the gateway, so a shop changes them without a new snippet.
 */
export const MaskingRule = z
  .object({
    urlPattern: Text(500).min(1),
    /** Text and values of these elements are masked (shown as *). */
    mask: z.array(Selector).max(100).default([]),
    /** These elements are not recorded at all (a grey box of the same size). */
    block: z.array(Selector).max(100).default([]),
  })
  .strict();
export type MaskingRule = z.infer<typeof MaskingRule>;

/**
 * How the snippet treats elements tagged `data-agent-desk="<class>"` (the field classes of
 * visibility.ts), for the role of the agent who joined: 'full' recorded as is, 'masked' text and
 * values masked, 'hidden' blocked. Payment is blocked whatever the role, and every input's value
 * is masked unless its class is granted in full.
 */
export const MaskingPolicy = z
  .object({
    classes: z.record(FieldClass, FieldAccess),
    rules: z.array(MaskingRule).max(200),
  })
  .strict();
export type MaskingPolicy = z.infer<typeof MaskingPolicy>;

const PageInfo = z.object({ url: Text(2000), title: Text(300) }).strict();
export type PageInfo = z.infer<typeof PageInfo>;

/** rrweb events as recorded (after masking); the desk validates them with rrweb's own types. */
const RecordedEvents = z.array(z.unknown()).max(5_000);

// ---- snippet -> gateway -------------------------------------------------------------------

export const CustomerFrame = z.discriminatedUnion('type', [
  /** A new session: the gateway answers with `code`. */
  z
    .object({
      type: z.literal('hello'),
      protocol: z.number().int(),
      page: PageInfo,
      language: z.enum(['zh-CN', 'en']),
    })
    .strict(),
  /** The same session after a page load (the snippet kept sessionId and resumeToken). */
  z
    .object({
      type: z.literal('resume'),
      protocol: z.number().int(),
      sessionId: Text(64).min(1),
      resumeToken: Text(128).min(1),
      page: PageInfo,
    })
    .strict(),
  /** The customer's answer to a consent level (granted false also withdraws it). */
  z.object({ type: z.literal('consent'), level: ConsentLevel, granted: z.boolean() }).strict(),
  /** Recorded, masked rrweb events; only after view consent. `seq` counts batches from 1. */
  z.object({ type: z.literal('events'), seq: z.number().int().positive(), events: RecordedEvents }).strict(),
  /** One part of a batch too large for one frame (the JSON text of `{ events }`, split). */
  z
    .object({
      type: z.literal('chunk'),
      seq: z.number().int().positive(),
      part: z.number().int().nonnegative(),
      parts: z.number().int().positive().max(64),
      data: z.string(),
    })
    .strict(),
  z.object({ type: z.literal('control-released'), reason: ControlReleaseReason }).strict(),
  /** The customer ended the session (Stop, or closed the banner). */
  z.object({ type: z.literal('end') }).strict(),
]);
export type CustomerFrame = z.infer<typeof CustomerFrame>;

// ---- agent -> gateway -> snippet ----------------------------------------------------------

/** What the desk may send into a session (`cobrowse.send`), each checked against the consent given. */
export const AgentCobrowseMessage = z.discriminatedUnion('type', [
  /** The agent's pointer over the replay (needs view). */
  z.object({ type: z.literal('pointer'), x: Coordinate, y: Coordinate }).strict(),
  /** A highlight around one element, or none (needs view). */
  z.object({ type: z.literal('highlight'), nodeId: NodeId.nullable() }).strict(),
  /** Asks the customer for the next consent level. */
  z.object({ type: z.literal('consent-request'), level: z.enum(['scroll', 'control']) }).strict(),
  /** Scrolls the customer's page (needs scroll). */
  z.object({ type: z.literal('scroll'), x: Coordinate, y: Coordinate }).strict(),
  /** Clicks an element (needs control). */
  z.object({ type: z.literal('click'), nodeId: NodeId }).strict(),
  /** Types into a field: its whole new value (needs control). */
  z.object({ type: z.literal('input'), nodeId: NodeId, value: Text(1000) }).strict(),
  /** The agent hands control back. */
  z.object({ type: z.literal('release-control') }).strict(),
  /** The replay lost track: asks the snippet for a full snapshot. */
  z.object({ type: z.literal('resync') }).strict(),
]);
export type AgentCobrowseMessage = z.infer<typeof AgentCobrowseMessage>;

/** The consent level each agent message needs (null: none beyond the session itself). */
export const CONSENT_NEEDED: Record<AgentCobrowseMessage['type'], ConsentLevel | null> = {
  pointer: 'view',
  highlight: 'view',
  'consent-request': 'view',
  scroll: 'scroll',
  click: 'control',
  input: 'control',
  'release-control': null,
  resync: 'view',
};

// ---- gateway -> snippet -------------------------------------------------------------------

export const EndedBy = z.enum(['customer', 'agent', 'gateway']);

/** Why a session ended: the `reason` of the `ended` frames to both sides (the UIs translate it). */
export const COBROWSE_END_REASONS = [
  /** The customer pressed Stop or closed the banner. */
  'customer',
  /** The agent left (cobrowse.leave). */
  'agent_left',
  /** The agent's connection closed. */
  'agent_disconnected',
  /** The agent's session ended: signed out, revoked, expired, role changed. */
  'agent_signed_out',
  /** The customer's page was gone longer than the gateway's grace period. */
  'customer_gone',
  /** Nobody joined with the code in time. */
  'code_expired',
  /** The gateway shut down. */
  'shutdown',
] as const;
export type CobrowseEndReason = (typeof COBROWSE_END_REASONS)[number];

/** Reason codes in `details.reasons` of a FORBIDDEN answer to cobrowse.join / cobrowse.send. */
export const COBROWSE_REFUSAL_REASONS = {
  /** The customer has not given the consent level the message needs: params.level. */
  consentNeeded: 'COBROWSE_CONSENT_NEEDED',
  /** The agent's role, or its view, does not allow co-browse: params.role. */
  roleNotAllowed: 'COBROWSE_NOT_ALLOWED',
  /** The customer's page is loading again (state `reconnecting`): try in a moment. */
  customerReconnecting: 'COBROWSE_CUSTOMER_RECONNECTING',
} as const;

export const GatewayToCustomerFrame = z.discriminatedUnion('type', [
  /** The new session's code; sessionId and resumeToken let a reloaded page rejoin it. */
  z
    .object({
      type: z.literal('code'),
      code: CobrowseCode,
      expiresAt: z.string(),
      sessionId: z.string(),
      resumeToken: z.string(),
    })
    .strict(),
  /** After `resume`: the session as it stands (the agent, the consents kept across the load). */
  z
    .object({
      type: z.literal('resumed'),
      agent: z.object({ displayName: z.string() }).strict().nullable(),
      consent: z.array(ConsentLevel),
      masking: MaskingPolicy.nullable(),
    })
    .strict(),
  /** An agent joined with the code: ask for view consent; record with this masking. */
  z
    .object({
      type: z.literal('agent-joined'),
      agent: z.object({ displayName: z.string() }).strict(),
      masking: MaskingPolicy,
    })
    .strict(),
  z.object({ type: z.literal('agent'), message: AgentCobrowseMessage }).strict(),
  z.object({ type: z.literal('ended'), by: EndedBy, reason: z.string() }).strict(),
  z
    .object({ type: z.literal('error'), error: z.object({ code: z.string(), message: z.string() }).strict() })
    .strict(),
]);
export type GatewayToCustomerFrame = z.infer<typeof GatewayToCustomerFrame>;

// ---- gateway -> desk (in the agent protocol's `cobrowse` frame) ---------------------------

export const CobrowseState = z.enum([
  /** Joined; the customer has not allowed the view yet. */
  'waiting_consent',
  'live',
  /** The customer's page is loading again or lost its connection; the session waits for it. */
  'reconnecting',
  'ended',
  /** The customer declined the view. */
  'refused',
]);
export type CobrowseState = z.infer<typeof CobrowseState>;

export const CustomerMessage = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('state'),
      state: CobrowseState,
      consent: z.array(ConsentLevel),
      page: PageInfo.nullable(),
    })
    .strict(),
  z.object({ type: z.literal('events'), seq: z.number().int().positive(), events: RecordedEvents }).strict(),
  z
    .object({
      type: z.literal('chunk'),
      seq: z.number().int().positive(),
      part: z.number().int().nonnegative(),
      parts: z.number().int().positive().max(64),
      data: z.string(),
    })
    .strict(),
  z.object({ type: z.literal('consent'), level: ConsentLevel, granted: z.boolean() }).strict(),
  z.object({ type: z.literal('control-released'), reason: ControlReleaseReason }).strict(),
  z.object({ type: z.literal('ended'), by: EndedBy, reason: z.string() }).strict(),
]);
export type CustomerMessage = z.infer<typeof CustomerMessage>;

/** The consent levels in force: each level counts only if every level before it is granted. */
export function grantedLevels(granted: ReadonlySet<ConsentLevel>): ConsentLevel[] {
  const levels: ConsentLevel[] = [];
  for (const level of CONSENT_LEVELS) {
    if (!granted.has(level)) break;
    levels.push(level);
  }
  return levels;
}
