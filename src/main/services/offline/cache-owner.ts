import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { AgentUser } from '../../../shared/domain';

const CacheOwner = z.object({ user: z.string(), role: z.string() }).strict();
type CacheOwner = z.infer<typeof CacheOwner>;

/** The user id is kept as a hash: the file says whose cache it is, not who works here. */
const ownerOf = (user: AgentUser): CacheOwner => ({
  user: createHash('sha256').update(`agent-desk cache owner:${user.id}`).digest('hex'),
  role: user.role,
});

/**
 * Who the order cache on disk belongs to (user and role). A different user or a changed role
 * must not see what the previous one cached, so the caller wipes the cache when this differs.
 */
export class CacheOwnerFile {
  constructor(private readonly path: string) {}

  /** True when the cache belongs to someone else (or to nobody known): wipe before use. */
  async differsFrom(user: AgentUser): Promise<boolean> {
    const expected = ownerOf(user);
    try {
      const stored = CacheOwner.safeParse(JSON.parse(await readFile(this.path, 'utf8')));
      return !stored.success || stored.data.user !== expected.user || stored.data.role !== expected.role;
    } catch {
      return true;
    }
  }

  async write(user: AgentUser): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, JSON.stringify(ownerOf(user)), { mode: 0o600 });
    await rename(tmp, this.path);
  }

  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
