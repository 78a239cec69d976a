import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOrderCachePolicy } from '../../../../src/main/services/offline/it-policy';

describe('IT policy for the order cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'it-policy-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const withFile = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('uses the defaults when there is no policy file', async () => {
    expect(await readOrderCachePolicy(join(dir, 'missing.json'))).toEqual({});
  });

  it('reads the TTL in days, the size bound and the switch', async () => {
    const path = withFile(
      'set.json',
      JSON.stringify({ orderCache: { enabled: true, ttlDays: 2, maxOrders: 5000 } }),
    );
    expect(await readOrderCachePolicy(path)).toEqual({
      enabled: true,
      ttlMs: 2 * 86_400_000,
      maxOrders: 5000,
    });
  });

  it('keeps a damaged or out-of-range policy from silently re-enabling the cache', async () => {
    expect(await readOrderCachePolicy(withFile('broken.json', '{ "orderCache": '))).toEqual({
      enabled: false,
    });
    const outOfRange = withFile('range.json', JSON.stringify({ orderCache: { ttlDays: -1 } }));
    expect(await readOrderCachePolicy(outOfRange)).toEqual({ enabled: false });
  });
});
