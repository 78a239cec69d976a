import type {
  AgentCobrowseMessage,
  CONSENT_LEVELS as SHARED_CONSENT_LEVELS,
  CONSENT_NEEDED as SHARED_CONSENT_NEEDED,
  COBROWSE_PROTOCOL_VERSION as SHARED_PROTOCOL_VERSION,
  COBROWSE_WS_PATH as SHARED_WS_PATH,
  CONTROL_IDLE_MS as SHARED_CONTROL_IDLE_MS,
  ConsentLevel,
  GatewayToCustomerFrame,
  MaskingPolicy,
  MaskingRule,
} from '../shared/cobrowse-protocol';
import type { FIELD_CLASSES as SHARED_FIELD_CLASSES, FieldAccess, FieldClass } from '../shared/visibility';

/**
 * The runtime half of the co-browse contract (src/shared/cobrowse-protocol.ts) the snippet
 * needs, without zod: zod alone would double the snippet shops load (about 29 kB of 62 kB
 * gzipped). The snippet imports only types from src/shared (lint enforces it); the values
 * here are tied to the shared ones by their types where a literal type allows it, and by a
 * unit test (test/cobrowse/contract.test.ts) for the rest, which also checks that
 * parseGatewayFrame accepts exactly what the shared zod schema accepts.
 */

export const COBROWSE_WS_PATH = '/v1/cobrowse' satisfies typeof SHARED_WS_PATH;
export const COBROWSE_PROTOCOL_VERSION = 1 satisfies typeof SHARED_PROTOCOL_VERSION;
export const CONTROL_IDLE_MS = 30_000 satisfies typeof SHARED_CONTROL_IDLE_MS;
export const MAX_COBROWSE_FRAME_BYTES = 512 * 1024;
export const COBROWSE_CHUNK_BYTES = 256 * 1024;
export const CONSENT_LEVELS = ['view', 'scroll', 'control'] as const satisfies typeof SHARED_CONSENT_LEVELS;
export const FIELD_CLASSES = [
  'public',
  'contact',
  'address',
  'payment',
  'internal',
  'risk',
] as const satisfies typeof SHARED_FIELD_CLASSES;
export const CONSENT_NEEDED = {
  pointer: 'view',
  highlight: 'view',
  'consent-request': 'view',
  scroll: 'scroll',
  click: 'control',
  input: 'control',
  'release-control': null,
  resync: 'view',
} as const satisfies typeof SHARED_CONSENT_NEEDED;

/** The consent levels in force: each level counts only if every level before it is granted. */
export function grantedLevels(granted: ReadonlySet<ConsentLevel>): ConsentLevel[] {
  const levels: ConsentLevel[] = [];
  for (const level of CONSENT_LEVELS) {
    if (!granted.has(level)) break;
    levels.push(level);
  }
  return levels;
}

// ---- validating what the gateway sends (GatewayToCustomerFrame) ------------------------------

/** Thrown inside parseGatewayFrame only; never leaves it. */
class Invalid extends Error {}

type Json = Record<string, unknown>;

function fail(): never {
  throw new Invalid();
}

/** A plain object with exactly these keys (the schema's `.strict()`); `optional` may be absent. */
function object(value: unknown, keys: readonly string[], optional: readonly string[] = []): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail();
  const record = value as Json;
  for (const key of Object.keys(record)) if (!keys.includes(key)) fail();
  for (const key of keys) if (!(key in record) && !optional.includes(key)) fail();
  return record;
}

function string(value: unknown, max = Infinity, min = 0): string {
  if (typeof value !== 'string' || value.length > max || value.length < min) fail();
  return value;
}

function oneOf<T extends string>(value: unknown, options: readonly T[]): T {
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) fail();
  return value as T;
}

function array(value: unknown, max = Infinity): unknown[] {
  if (!Array.isArray(value) || value.length > max) fail();
  return value;
}

function nodeId(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail();
  return value;
}

function coordinate(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < -1e6 || value > 1e7) fail();
  return value;
}

const FIELD_ACCESS: readonly FieldAccess[] = ['full', 'masked', 'hidden'];

function agentRef(value: unknown): { displayName: string } {
  return { displayName: string(object(value, ['displayName']).displayName) };
}

function maskingRule(value: unknown): MaskingRule {
  const rule = object(value, ['urlPattern', 'mask', 'block'], ['mask', 'block']);
  const selectors = (list: unknown) =>
    list === undefined ? [] : array(list, 100).map((selector) => string(selector, 300, 1));
  return {
    urlPattern: string(rule.urlPattern, 500, 1),
    mask: selectors(rule.mask),
    block: selectors(rule.block),
  };
}

function maskingPolicy(value: unknown): MaskingPolicy {
  const policy = object(value, ['classes', 'rules']);
  const given = object(policy.classes, FIELD_CLASSES);
  const classes = {} as Record<FieldClass, FieldAccess>;
  for (const fieldClass of FIELD_CLASSES) classes[fieldClass] = oneOf(given[fieldClass], FIELD_ACCESS);
  return { classes, rules: array(policy.rules, 200).map(maskingRule) };
}

function agentMessage(value: unknown): AgentCobrowseMessage {
  const type = typeof value === 'object' && value !== null ? (value as Json).type : undefined;
  switch (type) {
    case 'pointer':
    case 'scroll': {
      const message = object(value, ['type', 'x', 'y']);
      return { type, x: coordinate(message.x), y: coordinate(message.y) };
    }
    case 'highlight': {
      const message = object(value, ['type', 'nodeId']);
      return { type, nodeId: message.nodeId === null ? null : nodeId(message.nodeId) };
    }
    case 'consent-request':
      return { type, level: oneOf(object(value, ['type', 'level']).level, ['scroll', 'control'] as const) };
    case 'click':
      return { type, nodeId: nodeId(object(value, ['type', 'nodeId']).nodeId) };
    case 'input': {
      const message = object(value, ['type', 'nodeId', 'value']);
      return { type, nodeId: nodeId(message.nodeId), value: string(message.value, 1000) };
    }
    case 'release-control':
    case 'resync':
      object(value, ['type']);
      return { type };
    default:
      return fail();
  }
}

function frame(value: unknown): GatewayToCustomerFrame {
  const type = typeof value === 'object' && value !== null ? (value as Json).type : undefined;
  switch (type) {
    case 'code': {
      const f = object(value, ['type', 'code', 'expiresAt', 'sessionId', 'resumeToken']);
      const code = string(f.code);
      if (!/^\d{6}$/.test(code)) fail();
      return {
        type,
        code,
        expiresAt: string(f.expiresAt),
        sessionId: string(f.sessionId),
        resumeToken: string(f.resumeToken),
      };
    }
    case 'resumed': {
      const f = object(value, ['type', 'agent', 'consent', 'masking']);
      return {
        type,
        agent: f.agent === null ? null : agentRef(f.agent),
        consent: array(f.consent).map((level) => oneOf(level, CONSENT_LEVELS)),
        masking: f.masking === null ? null : maskingPolicy(f.masking),
      };
    }
    case 'agent-joined': {
      const f = object(value, ['type', 'agent', 'masking']);
      return { type, agent: agentRef(f.agent), masking: maskingPolicy(f.masking) };
    }
    case 'agent':
      return { type, message: agentMessage(object(value, ['type', 'message']).message) };
    case 'ended': {
      const f = object(value, ['type', 'by', 'reason']);
      return { type, by: oneOf(f.by, ['customer', 'agent', 'gateway'] as const), reason: string(f.reason) };
    }
    case 'error': {
      const error = object(object(value, ['type', 'error']).error, ['code', 'message']);
      return { type, error: { code: string(error.code), message: string(error.message) } };
    }
    default:
      return fail();
  }
}

/**
 * A gateway frame, validated as the shared schema would; anything else (not JSON, unknown
 * type, wrong shape, too big) is null, to be ignored: a broken or hostile relay must not break
 * the snippet or the shop's page.
 */
export function parseGatewayFrame(data: unknown): GatewayToCustomerFrame | null {
  if (typeof data !== 'string' || data.length > MAX_COBROWSE_FRAME_BYTES) return null;
  try {
    return frame(JSON.parse(data));
  } catch {
    return null;
  }
}
