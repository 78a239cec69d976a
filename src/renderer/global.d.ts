import type { AgentDeskBridge } from '../shared/contract';

declare global {
  interface Window {
    /** Exposed by the preload in Electron, or by the test harness in a browser. */
    agentDesk: AgentDeskBridge;
  }
}

export {};
