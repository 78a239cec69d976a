import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { GatewayKeyError } from './key-error';

/**
 * The gateway's signing keys, as kept in a key file or AGENT_DESK_GATEWAY_KEYS, never in the
 * database. Two purposes with their own keys: `token` signs session tokens, `audit` MACs the
 * audit log and its checkpoints. In each list exactly one key has no `retiredAt`: the current one,
 * used for everything new. A retired token key still verifies tokens for one token TTL after
 * `retiredAt`; a retired audit key verifies the rows it signed for ever.
 */
export const GATEWAY_KEYS_VERSION = 1;
/** HMAC-SHA256 keys shorter than its output add no strength. */
export const MIN_KEY_BYTES = 32;

const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const StoredKey = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1-64 letters, digits, _ or -'),
    key: z
      .string()
      .regex(STANDARD_BASE64, 'must be standard base64')
      .refine((text) => Buffer.from(text, 'base64').length >= MIN_KEY_BYTES, {
        message: `must decode to at least ${MIN_KEY_BYTES} bytes`,
      }),
    createdAt: z.iso.datetime({ offset: true }),
    retiredAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type StoredKey = z.infer<typeof StoredKey>;

const KeyList = z
  .array(StoredKey)
  .min(1)
  .superRefine((keys, context) => {
    const ids = new Set<string>();
    for (const [index, key] of keys.entries()) {
      if (ids.has(key.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: 'duplicate id' });
      ids.add(key.id);
    }
    const current = keys.filter((key) => key.retiredAt === undefined).length;
    if (current !== 1) {
      context.addIssue({
        code: 'custom',
        message: `exactly one key must have no retiredAt (the current one), found ${current}`,
      });
    }
  });

export const GatewayKeys = z
  .object({ version: z.literal(GATEWAY_KEYS_VERSION), token: KeyList, audit: KeyList })
  .strict();
export type GatewayKeys = z.infer<typeof GatewayKeys>;

/** Parses key file JSON; `origin` names where it came from in the error. */
export function parseGatewayKeys(text: string, origin: string): GatewayKeys {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new GatewayKeyError('KEY_FILE_INVALID', `${origin} is not JSON: ${(err as Error).message}`);
  }
  const parsed = GatewayKeys.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`,
    );
    throw new GatewayKeyError(
      'KEY_FILE_INVALID',
      `${origin} is not a valid gateway key file (${problems.join('; ')})`,
    );
  }
  return parsed.data;
}

export function serialiseGatewayKeys(keys: GatewayKeys): string {
  return `${JSON.stringify(keys, null, 2)}\n`;
}

/** A fresh key set: one token key and one audit key. */
export function newGatewayKeys(nowMs: number): GatewayKeys {
  return {
    version: GATEWAY_KEYS_VERSION,
    token: [newKey('tok', nowMs)],
    audit: [newKey('aud', nowMs)],
  };
}

export interface TokenKeyRotation {
  keys: GatewayKeys;
  current: string;
  retired: string;
  /** Keys retired more than one token TTL ago: nothing they signed is accepted any more. */
  dropped: string[];
}

/**
 * A new current token key; the previous one is retired now (it keeps verifying tokens for one
 * token TTL) and keys retired more than one TTL ago are dropped.
 */
export function rotateTokenKey(keys: GatewayKeys, nowMs: number, tokenTtlSeconds: number): TokenKeyRotation {
  const expired = (key: StoredKey) =>
    key.retiredAt !== undefined && Date.parse(key.retiredAt) + tokenTtlSeconds * 1000 <= nowMs;
  const kept = keys.token.filter((key) => !expired(key));
  const next = newKey('tok', nowMs);
  const retired = currentOf(keys.token);
  return {
    keys: { ...keys, token: [...kept.map((key) => retireIfCurrent(key, nowMs)), next] },
    current: next.id,
    retired: retired.id,
    dropped: keys.token.filter(expired).map((key) => key.id),
  };
}

/** A new current audit key for new rows; every old one stays, for the rows it signed. */
export function rotateAuditKey(
  keys: GatewayKeys,
  nowMs: number,
): { keys: GatewayKeys; current: string; retired: string } {
  const next = newKey('aud', nowMs);
  return {
    keys: { ...keys, audit: [...keys.audit.map((key) => retireIfCurrent(key, nowMs)), next] },
    current: next.id,
    retired: currentOf(keys.audit).id,
  };
}

/** The list's key without retiredAt (the schema guarantees exactly one). */
export function currentOf(keys: readonly StoredKey[]): StoredKey {
  const current = keys.find((key) => key.retiredAt === undefined);
  if (!current) throw new Error('A key list without a current key passed validation');
  return current;
}

function retireIfCurrent(key: StoredKey, nowMs: number): StoredKey {
  return key.retiredAt === undefined ? { ...key, retiredAt: new Date(nowMs).toISOString() } : key;
}

function newKey(prefix: 'tok' | 'aud', nowMs: number): StoredKey {
  return {
    id: `${prefix}_${randomBytes(6).toString('hex')}`,
    key: randomBytes(MIN_KEY_BYTES).toString('base64'),
    createdAt: new Date(nowMs).toISOString(),
  };
}
