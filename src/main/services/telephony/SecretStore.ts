import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { DeskError } from '../../../shared/errors';
import type { KeyProvider } from './KeyProvider';

const SecretFile = z.record(z.string(), z.string());

/**
 * Named secrets (the SIP password), each encrypted by the KeyProvider and stored as base64 in a
 * JSON file. Nothing is ever written in clear: without an available key, `set` refuses.
 */
export class SecretStore {
  private secrets: Record<string, string> = {};

  constructor(
    private readonly filePath: string,
    private readonly keys: KeyProvider,
  ) {}

  async start(): Promise<void> {
    try {
      const parsed = SecretFile.safeParse(JSON.parse(await readFile(this.filePath, 'utf8')));
      if (parsed.success) this.secrets = parsed.data;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !(err instanceof SyntaxError)) throw err;
    }
  }

  has(name: string): boolean {
    return name in this.secrets;
  }

  /** The secret in clear, or null if none is kept or it can no longer be decrypted. */
  get(name: string): string | null {
    const stored = this.secrets[name];
    if (stored === undefined || !this.keys.isAvailable()) return null;
    try {
      return this.keys.decrypt(Buffer.from(stored, 'base64'));
    } catch {
      return null; // The OS key changed (new profile, restored backup): the agent re-enters it.
    }
  }

  async set(name: string, value: string | null): Promise<void> {
    if (value === null) {
      delete this.secrets[name];
    } else {
      if (!this.keys.isAvailable()) {
        throw new DeskError('INTERNAL', 'No protected key store on this system: the secret is not kept');
      }
      this.secrets[name] = this.keys.encrypt(value).toString('base64');
    }
    await mkdir(dirname(this.filePath), { recursive: true });
    const tmp = `${this.filePath}.tmp`;
    await writeFile(tmp, JSON.stringify(this.secrets), { mode: 0o600 });
    await rename(tmp, this.filePath);
  }
}
