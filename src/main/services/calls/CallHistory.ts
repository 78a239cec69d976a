import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type {
  AutoSavedWrapUp,
  CallActionRecord,
  CallDispositionUpdate,
  CallRecord,
  NewCallRecord,
} from '../../../shared/call-history';
import { DeskError } from '../../../shared/errors';
import { loadOrCreateDataKey, saveDataKey } from '../cache/cache-data-key';
import { deleteCacheFiles } from '../cache/cache-files';
import { DATA_KEY_BYTES } from '../cache/cache-keys';
import type { KeyProvider } from '../telephony/KeyProvider';
import { CallHistoryKeyMismatch, CallHistoryStore } from './CallHistoryStore';

export interface CallHistoryOptions {
  /** The SQLite file; its wrapped data key is kept at `${path}.key`. */
  path: string;
  keys: KeyProvider;
  /** False when IT keeps no personal data on this computer (the order cache policy): nothing is kept. */
  enabled: boolean;
  nativeBinding?: string;
}

/**
 * The agent's call history as the desk keeps it: sealed at rest with a data key of its own,
 * wrapped by the KeyProvider (the OS keychain), and wiped by the order cache's rules (sign-out,
 * another user or role, policy off, lost key). Its own key, not the cache's: the cache lives in
 * a worker and replaces its key at every wipe, and either store can then be wiped, rekeyed or
 * switched off without touching the other. Without a key store (or by policy) nothing is kept
 * and every call answers CALL_HISTORY_OFF: never a history in clear.
 */
export class CallHistory {
  private store: CallHistoryStore | null = null;

  constructor(private readonly options: CallHistoryOptions) {}

  /** True once started with a key: false when off by policy or without a key store. */
  get enabled(): boolean {
    return this.store !== null;
  }

  private get keyPath(): string {
    return `${this.options.path}.key`;
  }

  async start(): Promise<void> {
    if (this.store) return;
    if (!this.options.enabled || !this.options.keys.isAvailable()) {
      // Off: whatever an earlier run kept (sealed, or in clear by an older desk) goes.
      await this.deleteFiles();
      return;
    }
    // No key file next to a clear history from an older desk is the upgrade: a new key seals it.
    const { key } = await loadOrCreateDataKey(this.keyPath, this.options.keys);
    try {
      this.store = this.openStore(key);
    } catch (err) {
      if (!(err instanceof CallHistoryKeyMismatch)) throw err;
      // The key that sealed it is gone (a new OS profile, a restored backup): unreadable, deleted.
      this.store = await this.replaceWithEmpty();
    }
  }

  stop(): void {
    this.store?.close();
    this.store = null;
  }

  /** Sign-out, another user or role: deletes every call and seals what follows with a new key. */
  async wipe(): Promise<void> {
    if (!this.store) {
      await this.deleteFiles();
      return;
    }
    this.store.close();
    this.store = null;
    this.store = await this.replaceWithEmpty();
  }

  record(call: NewCallRecord): CallRecord {
    return this.requireStore().record(call);
  }

  setDisposition(update: CallDispositionUpdate): CallRecord {
    return this.requireStore().setDisposition(update);
  }

  autoSaveWrapUp(wrapUp: AutoSavedWrapUp): CallRecord {
    return this.requireStore().autoSaveWrapUp(wrapUp);
  }

  addAction(record: CallActionRecord): void {
    this.requireStore().addAction(record);
  }

  get(callId: string): CallRecord | null {
    return this.requireStore().get(callId);
  }

  recent(limit: number): CallRecord[] {
    return this.requireStore().recent(limit);
  }

  private requireStore(): CallHistoryStore {
    if (!this.store) {
      throw new DeskError(
        'CALL_HISTORY_OFF',
        'No call history is kept on this computer (IT policy, or no protected key store)',
      );
    }
    return this.store;
  }

  private openStore(dataKey: Buffer): CallHistoryStore {
    return new CallHistoryStore(this.options.path, {
      dataKey,
      ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
    });
  }

  /**
   * Deleting the files (not DELETE + VACUUM) leaves no page or WAL frame behind. The files go
   * before the new key is saved: if the app dies in between, the empty history is sealed with
   * the old key from then on.
   */
  private async replaceWithEmpty(): Promise<CallHistoryStore> {
    deleteCacheFiles(this.options.path);
    const dataKey = randomBytes(DATA_KEY_BYTES);
    await saveDataKey(this.keyPath, this.options.keys, dataKey);
    return this.openStore(dataKey);
  }

  private async deleteFiles(): Promise<void> {
    deleteCacheFiles(this.options.path);
    await rm(this.keyPath, { force: true });
  }
}
