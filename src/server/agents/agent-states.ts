import type { AgentStateReport } from '../../shared/agent-state';

export interface RecordedAgentState extends AgentStateReport {
  userId: string;
  /** Server time the report arrived. */
  reportedAt: string;
}

/** The last state each agent's desk reported, in memory (the supervisors' team view reads it). */
export class AgentStates {
  private readonly byUser = new Map<string, RecordedAgentState>();

  record(userId: string, report: AgentStateReport, now = new Date()): RecordedAgentState {
    const recorded = { userId, ...report, reportedAt: now.toISOString() };
    this.byUser.set(userId, recorded);
    return recorded;
  }

  get(userId: string): RecordedAgentState | null {
    return this.byUser.get(userId) ?? null;
  }

  all(): RecordedAgentState[] {
    return [...this.byUser.values()];
  }
}
