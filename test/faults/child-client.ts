import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClientHooks, FaultClientOptions } from './fault-client';

const CLIENT_PROCESS = fileURLToPath(new URL('./client-process.ts', import.meta.url));
let spawned = 0;

/** Settings for client-process.ts (JSON on its command line). */
export interface ChildClientConfig {
  cachePath: string;
  keyHex: string;
  url: string;
  token: string;
  workerScript: string | null;
  checkIntervalMs: number;
  requestTimeoutMs: number;
  logPath: string;
}

/**
 * The desk's sync stack in a child process, killed with SIGKILL. It appends what it reports
 * (started at seq, applied seq, resync range) to a log file with synchronous writes, so the
 * lines written before the kill survive it; the parent reads them after the process is gone.
 */
export class ChildClient {
  private exited: Promise<void>;
  private replies = new Map<number, () => void>();
  private nextId = 1;

  private constructor(
    private readonly child: ChildProcess,
    private readonly logPath: string,
    private readonly hooks: ClientHooks,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (message: { type: string; id?: number }) => {
      if (message.type === 'queued' && message.id !== undefined) {
        this.replies.get(message.id)?.();
        this.replies.delete(message.id);
      }
    });
    void this.exited.then(() => {
      for (const reply of this.replies.values()) reply();
      this.replies.clear();
    });
  }

  static async spawn(options: FaultClientOptions, hooks: ClientHooks): Promise<ChildClient> {
    spawned += 1;
    const config: ChildClientConfig = {
      cachePath: options.cachePath,
      keyHex: options.key.toString('hex'),
      url: options.url,
      token: options.token,
      workerScript: options.workerScript?.href ?? null,
      checkIntervalMs: options.checkIntervalMs,
      requestTimeoutMs: options.requestTimeoutMs,
      logPath: `${options.cachePath}.child-${process.pid}-${spawned}.log`,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', CLIENT_PROCESS, JSON.stringify(config)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const client = new ChildClient(child, config.logPath, hooks);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`client process exited early (${code})`)));
    });
    return client;
  }

  enqueueNote(orderId: string, text: string): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.replies.set(id, resolve);
      if (!this.child.send({ type: 'note', id, orderId, text })) resolve();
    });
  }

  /** SIGKILL: no handler runs, nothing is flushed; then what the process wrote is read. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
    if (!existsSync(this.logPath)) return;
    for (const line of readFileSync(this.logPath, 'utf8').split('\n')) {
      const [kind, a, b] = line.split(' ');
      if (kind === 'R') this.hooks.onStarted(Number(a));
      else if (kind === 'A') this.hooks.onApplied(Number(a));
      else if (kind === 'S') this.hooks.onResynced(Number(a), Number(b));
    }
  }
}
