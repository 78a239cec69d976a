/** Why an agent connection's hold on its co-browse sessions ended. */
export type AgentLinkEnd = 'signed_out' | 'closed';

/**
 * An agent connection as a co-browse room sees it: where the room's frames go, how far behind
 * the agent's socket is, and when the agent is gone. A room holds one for as long as the agent
 * is in it; nothing reaches the agent through it once the connection's session has ended.
 */
export interface AgentLink {
  /**
   * Sends one frame (JSON text) if the connection still has a live session and an open socket;
   * false when it was not sent.
   */
  send(text: string): boolean;
  /** Bytes queued on the agent's socket and not yet written. */
  readonly bufferedAmount: number;
  /** The user whose live session the connection holds now; null once it ended or the socket closed. */
  readonly userId: string | null;
  /**
   * Runs `listener` once when the connection's signed-in session ends (sign-out, revocation,
   * expiry, role change, another user signing in on it: 'signed_out') or its socket closes
   * ('closed'). Returns the function that removes it.
   */
  onEnd(listener: (why: AgentLinkEnd) => void): () => void;
}
