import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? 'fatal');
}

describe('lint enforces the layering of DESIGN.md', () => {
  it('fails a renderer file that imports from src/main', async () => {
    const ids = await ruleIds(
      'src/renderer/features/fixture.ts',
      "import { registerIpc } from '../../main/ipc';\nexport const x = registerIpc;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('fails a renderer file that imports a node module or electron', async () => {
    expect(
      await ruleIds(
        'src/renderer/fixture.ts',
        "import { readFile } from 'node:fs';\nexport const x = readFile;\n",
      ),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds(
        'src/renderer/fixture.ts',
        "import { shell } from 'electron';\nexport const x = shell;\n",
      ),
    ).toContain('no-restricted-imports');
  });

  it('fails shared code that imports main or node', async () => {
    expect(
      await ruleIds(
        'src/shared/fixture.ts',
        "import { originOf } from '../main/origin';\nexport const x = originOf;\n",
      ),
    ).toContain('no-restricted-imports');
    expect(
      await ruleIds('src/shared/fixture.ts', "import { join } from 'node:path';\nexport const x = join;\n"),
    ).toContain('no-restricted-imports');
  });

  it('fails raw ipcMain outside main/ipc.ts', async () => {
    expect(
      await ruleIds(
        'src/main/services/fixture.ts',
        "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n",
      ),
    ).toContain('no-restricted-syntax');
  });

  it('passes a renderer file that imports shared code', async () => {
    expect(
      await ruleIds(
        'src/renderer/fixture.ts',
        "import { METHOD_NAMES } from '../shared/contract';\nexport const x = METHOD_NAMES;\n",
      ),
    ).toEqual([]);
  });
});
