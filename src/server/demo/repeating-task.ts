/**
 * Runs `run` every `intervalMs`, each time after the previous run finished (never two at once),
 * until closed; `close` waits for a run in progress. The demo simulators' clock.
 */
export class RepeatingTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly run: () => Promise<unknown>,
  ) {}

  start(): void {
    if (this.closed || this.timer) return;
    this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.running = this.run().finally(() => {
        if (!this.closed) this.schedule();
      });
    }, this.intervalMs);
  }
}
