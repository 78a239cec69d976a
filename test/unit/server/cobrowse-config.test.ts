import { writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CobrowseOrigins } from '../../../src/server/cobrowse/cobrowse-origins';
import {
  maskingPolicyFor,
  parseMaskingRules,
  readMaskingRulesFile,
} from '../../../src/server/cobrowse/masking-policy';
import { ROLES } from '../../../src/shared/domain';
import { ROLE_FIELD_POLICIES } from '../../../src/shared/visibility';
import { makeTempDir } from './support/temp-dir';

describe('the masking policy sent at a join', () => {
  it('follows the role’s field grants, payment hidden for every role, public in full', () => {
    for (const role of ROLES) {
      const { classes } = maskingPolicyFor(role, []);
      const { grants } = ROLE_FIELD_POLICIES[role];
      expect(classes).toEqual({
        public: 'full',
        contact: grants.contact,
        address: grants.address,
        payment: 'hidden',
        internal: grants.internal,
        risk: grants.risk,
      });
    }
    expect(maskingPolicyFor('frontline', []).classes).toMatchObject({ contact: 'masked', address: 'masked' });
    expect(maskingPolicyFor('logistics', []).classes).toMatchObject({ contact: 'masked', address: 'full' });
  });

  it('carries the configured rules', () => {
    const rules = parseMaskingRules([{ urlPattern: '/account*', block: ['.loyalty-card'] }]);
    expect(maskingPolicyFor('supervisor', rules).rules).toEqual([
      { urlPattern: '/account*', mask: [], block: ['.loyalty-card'] },
    ]);
  });
});

describe('masking rules from configuration', () => {
  it('says what is wrong, with an example of a rule', () => {
    expect(() => parseMaskingRules({ urlPattern: '/' })).toThrow(/expected a JSON array.*\(root\)/);
    expect(() => parseMaskingRules([{ urlPattern: 'checkout', mask: ['#a'] }])).toThrow(
      /0\.urlPattern: urlPattern must start with \/ \(a path prefix\) or \*/,
    );
    expect(() => parseMaskingRules([{ urlPattern: '/x', hide: ['#a'] }])).toThrow(/Unrecognized key/);
    expect(() => parseMaskingRules([{ urlPattern: '/x', mask: [''] }])).toThrow(/0\.mask\.0/);
    expect(() => parseMaskingRules(Array.from({ length: 201 }, () => ({ urlPattern: '/' })))).toThrow(
      /at most 200/,
    );
  });

  it('reads a rules file, naming the file in every error', () => {
    const dir = makeTempDir('agent-desk-rules-');
    try {
      const good = join(dir.path, 'rules.json');
      writeFileSync(good, JSON.stringify([{ urlPattern: '/checkout', mask: ['#note'] }]));
      expect(readMaskingRulesFile(good)).toEqual([{ urlPattern: '/checkout', mask: ['#note'], block: [] }]);
      const broken = join(dir.path, 'broken.json');
      writeFileSync(broken, '[{');
      expect(() => readMaskingRulesFile(broken)).toThrow(/--cobrowse-rules: .*broken\.json is not JSON/);
      const wrong = join(dir.path, 'wrong.json');
      writeFileSync(wrong, JSON.stringify([{ mask: ['#a'] }]));
      expect(() => readMaskingRulesFile(wrong)).toThrow(/--cobrowse-rules .*wrong\.json: .*urlPattern/);
      expect(() => readMaskingRulesFile(join(dir.path, 'missing.json'))).toThrow(
        /cannot read .*missing\.json/,
      );
    } finally {
      dir.remove();
    }
  });
});

function upgrade(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('co-browse origins', () => {
  it('take origins only, normalised as browsers send them', () => {
    const origins = CobrowseOrigins.parse([
      'https://Shop.Example',
      'http://localhost:8080/',
      'https://shop.example:443',
    ]);
    expect(origins.entries).toEqual(['https://shop.example', 'http://localhost:8080']);
    for (const bad of [
      'shop.example',
      'https://shop.example/checkout',
      'ftp://shop.example',
      'https://u:p@shop.example',
      '*',
    ]) {
      expect(() => CobrowseOrigins.parse([bad])).toThrow(/is not an origin like https:\/\/shop.example/);
    }
  });

  it('allow listed origins; refuse others, a missing one and "null"; the gateway’s own only when asked', () => {
    const origins = CobrowseOrigins.parse(['https://shop.example']);
    expect(origins.allows(upgrade({ origin: 'https://shop.example' }), false)).toBe(true);
    expect(origins.allows(upgrade({ origin: 'https://SHOP.example:443' }), false)).toBe(true);
    expect(origins.allows(upgrade({ origin: 'https://shop.example.evil.test' }), false)).toBe(false);
    expect(origins.allows(upgrade({}), false)).toBe(false);
    expect(origins.allows(upgrade({ origin: 'null' }), false)).toBe(false);
    const own = upgrade({ origin: 'http://127.0.0.1:8787', host: '127.0.0.1:8787' });
    expect(origins.allows(own, false)).toBe(false);
    const demo = CobrowseOrigins.parse([], { allowOwn: true });
    expect(demo.allows(own, false)).toBe(true);
    expect(demo.allows(own, true)).toBe(false);
    expect(demo.allows(upgrade({ origin: 'http://127.0.0.1:9999', host: '127.0.0.1:8787' }), false)).toBe(
      false,
    );
  });
});
