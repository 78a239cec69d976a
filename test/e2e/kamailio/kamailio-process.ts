import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TEMPLATE = join(import.meta.dirname, 'kamailio.cfg.template');
/** Extensions 9xxx must authenticate (digest) with this password; others register freely. */
export const DIGEST_PASSWORD = 'agent-9-secret';
const KAMAILIO = process.env.KAMAILIO_PATH ?? 'kamailio';

/** A free loopback TCP port (bind to 0, read it, release it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A real Kamailio (SIP over WebSocket registrar and proxy) in the foreground, on a free loopback
 * port with its own config and run folder. `stop()` then `start()` restarts it on the same port,
 * which is how the resilience tests simulate a PBX restart.
 */
export class KamailioProcess {
  readonly dir: string;
  private child: ChildProcess | null = null;
  private output = '';

  private constructor(readonly port: number) {
    this.dir = mkdtempSync(join(tmpdir(), 'agent-desk-kamailio-'));
    mkdirSync(join(this.dir, 'run'));
    const config = readFileSync(TEMPLATE, 'utf8')
      .replaceAll('__PORT__', String(port))
      .replaceAll('__DIGEST_PASSWORD__', DIGEST_PASSWORD);
    writeFileSync(this.configPath, config);
  }

  static async launch(): Promise<KamailioProcess> {
    const kamailio = new KamailioProcess(await freePort());
    await kamailio.start();
    return kamailio;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The SIP domain users register in. */
  get domain(): string {
    return '127.0.0.1';
  }

  private get configPath(): string {
    return join(this.dir, 'kamailio.cfg');
  }

  async start(timeoutMs = 10_000): Promise<void> {
    if (this.child) return;
    const child = spawn(
      KAMAILIO,
      [
        '-f',
        this.configPath,
        '-DD',
        '-E',
        '-m',
        '64',
        '-M',
        '8',
        '-Y',
        join(this.dir, 'run'),
        '-P',
        join(this.dir, 'kamailio.pid'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    const keep = (chunk: Buffer) => {
      // Keep the tail only: a long test run logs a lot.
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.child) throw new Error(`kamailio exited during start:\n${this.output}`);
      if (await acceptsConnections(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.stop();
    throw new Error(`kamailio did not accept connections within ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGTERM to the main process stops all its children; SIGKILL if it lingers. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    this.child = null;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
