import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Language } from '../../src/shared/contract';
import { startHarness, type Harness, type HarnessOptions } from '../harness/host';

const root = resolve(import.meta.dirname, '../..');

/**
 * A fresh desk for one test: the harness (real main-process services, a new data folder) on the
 * built renderer, signing in to `gatewayUrl`. Closed and its folder removed after `use`.
 */
export async function withDeskHarness(
  gatewayUrl: string,
  language: Language,
  use: (harness: Harness) => Promise<void>,
  extra: Pick<HarnessOptions, 'documentPolicy'> = {},
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-desk-e2e-desk-'));
  const harness = await startHarness({
    rendererDir: join(root, 'out', 'renderer'),
    dataDir: dir,
    defaultGatewayUrl: gatewayUrl,
    demoGatewayUrl: gatewayUrl,
    defaultLanguage: language,
    ...extra,
  });
  try {
    await use(harness);
  } finally {
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
