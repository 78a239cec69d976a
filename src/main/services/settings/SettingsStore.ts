import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../../../shared/contract';

/** What the agent chose on this machine. Stored as JSON beside the app's other data. */
export interface StoredSettings {
  language: Language;
  gatewayUrl: string;
}

const StoredSettingsSchema = z.object({
  language: z.enum(LANGUAGES as [Language, ...Language[]]),
  gatewayUrl: z.string(),
});

export class SettingsStore {
  private current: StoredSettings;

  constructor(
    private readonly filePath: string,
    private readonly defaults: StoredSettings,
  ) {
    this.current = { ...defaults };
  }

  async start(): Promise<void> {
    try {
      const parsed = StoredSettingsSchema.partial().safeParse(
        JSON.parse(await readFile(this.filePath, 'utf8')),
      );
      // A damaged file falls back to defaults rather than locking the agent out.
      if (parsed.success) this.current = { ...this.defaults, ...parsed.data };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
    }
  }

  get(): StoredSettings {
    return { ...this.current };
  }

  async update(patch: Partial<StoredSettings>): Promise<StoredSettings> {
    this.current = { ...this.current, ...patch };
    await mkdir(dirname(this.filePath), { recursive: true });
    // Write-then-rename so a crash never leaves half a file.
    const tmp = `${this.filePath}.tmp`;
    await writeFile(tmp, JSON.stringify(this.current, null, 2));
    await rename(tmp, this.filePath);
    return this.get();
  }
}
