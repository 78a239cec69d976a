import type { AgentStateReport } from '../../../shared/agent-state';
import type { ConnectionState } from '../../../shared/contract';
import type { SessionService } from '../session/SessionService';

/**
 * Tells the gateway what the agent is doing. The desk decides the state (calls, after-call
 * work); the gateway only records it for the team view and routing. The latest state is sent
 * again whenever the data connection comes back, so an outage never leaves it stale.
 */
export class AgentStateReporter {
  private latest: AgentStateReport | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly session: SessionService,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.unsubscribe = session.onConnectionChanged((connection: ConnectionState) => {
      if (connection.status === 'online') void this.send();
      if (connection.status === 'signed_out') this.latest = null;
    });
  }

  get current(): AgentStateReport | null {
    return this.latest;
  }

  /** Records the state and sends it if the gateway is reachable; never fails the caller. */
  async report(state: AgentStateReport): Promise<void> {
    this.latest = state;
    await this.send();
  }

  stop(): void {
    this.unsubscribe();
  }

  private async send(): Promise<void> {
    const state = this.latest;
    if (!state || this.session.connectionState.status !== 'online') return;
    try {
      await this.session.request('agent.setState', state);
    } catch (err) {
      this.onError(err); // Sent again on the next reconnect.
    }
  }
}
