import type { Logger } from 'pino';
import type { SqliteDatabase } from '../db/open-database';
import type { AuditKeys } from '../keys/key-ring';
import {
  AuditCheckpointError,
  checkpointSignatureProblem,
  readAuditCheckpoint,
  readAuditHead,
  signAuditCheckpoint,
  writeAuditCheckpoint,
  type AuditCheckpoint,
  type AuditHead,
} from './audit-checkpoint';

export const DEFAULT_AUDIT_CHECKPOINT_INTERVAL_MS = 10_000;

export interface AuditCheckpointWriterDeps {
  db: SqliteDatabase;
  keys: AuditKeys;
  path: string;
  logger: Logger;
  now?: () => number;
}

/**
 * Keeps the audit checkpoint file up to date: one when it opens, then every interval in which
 * the head moved, and one at close. Each is also logged at info, so that a log collector keeps a
 * copy off this host.
 */
export class AuditCheckpointWriter {
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  private constructor(
    private readonly deps: AuditCheckpointWriterDeps,
    /** The head the file holds now. */
    private written: AuditHead | null,
  ) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Checks that the log still reaches the checkpoint on file, then writes one for the head now if
   * the file is behind. A gateway started on a truncated or re-chained log must not paper over
   * it with a new checkpoint: AUDIT_CHECKPOINT_MISMATCH (AUDIT_CHECKPOINT_INVALID for a file that
   * is not a checkpoint).
   */
  static open(deps: AuditCheckpointWriterDeps): AuditCheckpointWriter {
    const onFile = readAuditCheckpoint(deps.path);
    if (onFile) {
      const problem = checkpointSignatureProblem(onFile, deps.keys) ?? logProblem(deps.db, onFile);
      if (problem) {
        throw new AuditCheckpointError(
          'AUDIT_CHECKPOINT_MISMATCH',
          `The audit log does not match its checkpoint ${deps.path} (seq ${onFile.seq} of ${onFile.at}): ` +
            `${problem}. Run \`npm run gateway -- audit verify\` to see what changed; to start anyway, ` +
            'move the checkpoint file aside (the logged checkpoints keep the evidence).',
        );
      }
    }
    const writer = new AuditCheckpointWriter(deps, onFile);
    writer.writeIfMoved();
    return writer;
  }

  /** From now on, writes a checkpoint every intervalMs in which the head moved. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      try {
        this.writeIfMoved();
      } catch (err) {
        this.deps.logger.error({ err, path: this.deps.path }, 'audit checkpoint not written');
      }
    }, intervalMs);
    this.timer.unref();
  }

  /** A new checkpoint if the head moved since the last one; null if it did not. */
  writeIfMoved(): AuditCheckpoint | null {
    const head = readAuditHead(this.deps.db);
    if (this.written && this.written.seq === head.seq && this.written.hash === head.hash) return null;
    // synchronous=NORMAL syncs the WAL only at SQLite checkpoints: make the rows this names
    // durable first, so that a power cut cannot leave the file ahead of the log.
    this.deps.db.pragma('wal_checkpoint(PASSIVE)');
    const checkpoint = signAuditCheckpoint(head, this.deps.keys.currentAuditKey(), this.now());
    writeAuditCheckpoint(this.deps.path, checkpoint);
    this.written = head;
    this.deps.logger.info({ auditCheckpoint: checkpoint, path: this.deps.path }, 'audit checkpoint');
    return checkpoint;
  }

  /** Stops the interval and writes a last checkpoint (call before closing the database). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.writeIfMoved();
  }
}

/** Why the log does not reach the checkpoint's head, or null if it does. */
function logProblem(db: SqliteDatabase, checkpoint: AuditCheckpoint): string | null {
  if (checkpoint.seq === 0) return null;
  const row = db
    .prepare<[number], { hash: string }>('SELECT hash FROM audit_log WHERE seq = ?')
    .get(checkpoint.seq);
  if (!row) {
    return `the log ends at seq ${readAuditHead(db).seq}: rows were removed from the end`;
  }
  return row.hash === checkpoint.hash
    ? null
    : `row ${checkpoint.seq} has another hash: the log was rewritten`;
}
