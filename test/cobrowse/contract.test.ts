import { describe, expect, it } from 'vitest';
import * as shared from '../../src/shared/cobrowse-protocol';
import { FIELD_CLASSES as SHARED_FIELD_CLASSES } from '../../src/shared/visibility';
import * as local from '../../src/cobrowse/contract';

const POLICY = {
  classes: {
    public: 'full',
    contact: 'masked',
    address: 'masked',
    payment: 'hidden',
    internal: 'hidden',
    risk: 'hidden',
  },
  rules: [
    { urlPattern: '/checkout', mask: ['.name'], block: ['#card'] },
    { urlPattern: '/account/*', mask: [] },
    { urlPattern: '/x' },
  ],
};

/** One valid frame of every kind (and of every agent message). */
const VALID: unknown[] = [
  { type: 'code', code: '012345', expiresAt: '2026-12-08T00:10:00.000Z', sessionId: 's1', resumeToken: 't1' },
  { type: 'resumed', agent: null, consent: [], masking: null },
  {
    type: 'resumed',
    agent: { displayName: 'Chen' },
    consent: ['view', 'scroll', 'control'],
    masking: POLICY,
  },
  { type: 'agent-joined', agent: { displayName: '客服 陈' }, masking: POLICY },
  { type: 'agent', message: { type: 'pointer', x: 10.5, y: -3 } },
  { type: 'agent', message: { type: 'highlight', nodeId: 12 } },
  { type: 'agent', message: { type: 'highlight', nodeId: null } },
  { type: 'agent', message: { type: 'consent-request', level: 'scroll' } },
  { type: 'agent', message: { type: 'consent-request', level: 'control' } },
  { type: 'agent', message: { type: 'scroll', x: 0, y: 1200 } },
  { type: 'agent', message: { type: 'click', nodeId: 0 } },
  { type: 'agent', message: { type: 'input', nodeId: 7, value: 'Shanghai' } },
  { type: 'agent', message: { type: 'release-control' } },
  { type: 'agent', message: { type: 'resync' } },
  { type: 'ended', by: 'agent', reason: 'done' },
  { type: 'error', error: { code: 'NOT_FOUND', message: 'no such session' } },
];

const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e8,
  -2e6,
  Number.MAX_SAFE_INTEGER + 1,
  '',
  'x',
  '12345',
  '1234567',
  'abcdef',
  'x'.repeat(301),
  'x'.repeat(501),
  'x'.repeat(1001),
  [],
  ['view'],
  ['bogus'],
  {},
  { displayName: 1 },
];

/** Every variant of `value` with one thing changed: a key removed, a key added, a leaf replaced. */
function* variants(value: unknown): Generator<unknown> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      for (const variant of variants(value[i])) yield value.map((item, j) => (j === i ? variant : item));
    }
    yield [...value, value[0] ?? 'extra'];
    for (const odd of ODD_VALUES) yield odd;
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const { [key]: _removed, ...rest } = record;
      yield rest;
      for (const variant of variants(record[key])) yield { ...record, [key]: variant };
    }
    yield { ...record, extra: 1 };
    for (const odd of ODD_VALUES) yield odd;
    return;
  }
  for (const odd of ODD_VALUES) yield odd;
}

describe('the snippet contract (zod-free) against the shared one', () => {
  it('has the shared constants', () => {
    expect(local.COBROWSE_WS_PATH).toBe(shared.COBROWSE_WS_PATH);
    expect(local.COBROWSE_PROTOCOL_VERSION).toBe(shared.COBROWSE_PROTOCOL_VERSION);
    expect(local.CONTROL_IDLE_MS).toBe(shared.CONTROL_IDLE_MS);
    expect(local.MAX_COBROWSE_FRAME_BYTES).toBe(shared.MAX_COBROWSE_FRAME_BYTES);
    expect(local.COBROWSE_CHUNK_BYTES).toBe(shared.COBROWSE_CHUNK_BYTES);
    expect(local.CONSENT_LEVELS).toEqual(shared.CONSENT_LEVELS);
    expect(local.CONSENT_NEEDED).toEqual(shared.CONSENT_NEEDED);
    expect(local.FIELD_CLASSES).toEqual(SHARED_FIELD_CLASSES);
  });

  it('counts granted levels as the shared function does', () => {
    const sets: shared.ConsentLevel[][] = [
      [],
      ['view'],
      ['scroll'],
      ['view', 'control'],
      ['view', 'scroll', 'control'],
    ];
    for (const set of sets)
      expect(local.grantedLevels(new Set(set))).toEqual(shared.grantedLevels(new Set(set)));
  });

  it('accepts every valid gateway frame as the shared schema parses it', () => {
    for (const frame of VALID) {
      expect(local.parseGatewayFrame(JSON.stringify(frame))).toEqual(
        shared.GatewayToCustomerFrame.parse(frame),
      );
    }
  });

  it('accepts exactly what the shared schema accepts, over thousands of one-change variants', () => {
    let checked = 0;
    let rejected = 0;
    for (const frame of VALID) {
      for (const variant of variants(frame)) {
        const text = JSON.stringify(variant);
        if (text === undefined) continue;
        const expected = shared.GatewayToCustomerFrame.safeParse(JSON.parse(text));
        const actual = local.parseGatewayFrame(text);
        if (expected.success) expect(actual, text).toEqual(expected.data);
        else expect(actual, text).toBeNull();
        checked++;
        if (!expected.success) rejected++;
      }
    }
    expect(checked).toBeGreaterThan(2_000);
    expect(rejected).toBeGreaterThan(1_000);
  });

  it('ignores what is not a frame at all, never throwing', () => {
    const junk: unknown[] = [
      'not json',
      '{"type":',
      'null',
      '42',
      '"code"',
      '[]',
      '{"type":"nope"}',
      '{"type":"agent","message":{"type":"click","nodeId":"1"}}',
      '{"__proto__":{"type":"ended"},"by":"agent","reason":""}',
      'x'.repeat(local.MAX_COBROWSE_FRAME_BYTES + 1),
      new ArrayBuffer(8),
      undefined,
    ];
    for (const data of junk) expect(local.parseGatewayFrame(data)).toBeNull();
  });
});
