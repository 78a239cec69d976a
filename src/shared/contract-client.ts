import {
  EVENT_NAMES,
  METHOD_NAMES,
  type AgentDeskApi,
  type AgentDeskBridge,
  type ContractEvents,
  type Envelope,
  type EventMessage,
  type EventName,
  type MethodName,
} from './contract';
import { DeskError } from './errors';

/** How a bridge reaches the host: IPC in Electron, a loopback websocket in the harness. */
export interface BridgeTransport {
  invoke(method: MethodName, args: unknown): Promise<Envelope<unknown>>;
  /** Delivers every event message; returns the unsubscribe function. */
  subscribe(listener: (message: EventMessage) => void): () => void;
}

const isEventName = (name: string): name is EventName => (EVENT_NAMES as readonly string[]).includes(name);

/** Builds `window.agentDesk` by iterating the contract. Only contract methods exist on it. */
export function createBridge(transport: BridgeTransport): AgentDeskBridge {
  const api: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    const [group, leaf] = method.split('.') as [string, string];
    const target = (api[group] ??= {}) as Record<string, unknown>;
    target[leaf] = (args?: unknown) => transport.invoke(method, args);
  }
  api.on = (event: string, listener: (payload: unknown) => void) => {
    if (!isEventName(event)) throw new DeskError('BAD_REQUEST', `Unknown event: ${event}`);
    return transport.subscribe((message) => {
      if (message.event === event) listener(message.payload);
    });
  };
  return api as AgentDeskBridge;
}

/** Wraps a bridge so that failed envelopes throw DeskError (used by the renderer). */
export function unwrapBridge(bridge: AgentDeskBridge): AgentDeskApi {
  const api: Record<string, unknown> = {};
  const groups = bridge as unknown as Record<
    string,
    Record<string, (args?: unknown) => Promise<Envelope<unknown>>>
  >;
  for (const method of METHOD_NAMES) {
    const [group, leaf] = method.split('.') as [string, string];
    const target = (api[group] ??= {}) as Record<string, unknown>;
    target[leaf] = async (args?: unknown) => {
      const envelope = await groups[group]![leaf]!(args);
      if (!envelope.ok) throw DeskError.from(envelope.error);
      return envelope.value;
    };
  }
  api.on = <E extends EventName>(event: E, listener: (payload: ContractEvents[E]) => void) =>
    bridge.on(event, listener);
  return api as AgentDeskApi;
}
