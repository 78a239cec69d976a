import type { AgentCobrowseMessage, ConsentLevel } from '../shared/cobrowse-protocol';
import { CONSENT_LEVELS, CONSENT_NEEDED, grantedLevels } from './contract';

/**
 * The customer's consents, kept in the snippet itself: every agent message is checked here
 * whatever the gateway let through (never trust the relay). Levels stack: view, then scroll,
 * then control; withdrawing one withdraws those above it.
 */
export class Consents {
  private granted = new Set<ConsentLevel>();

  has(level: ConsentLevel): boolean {
    return grantedLevels(this.granted).includes(level);
  }

  /** The levels in force, in order. */
  levels(): ConsentLevel[] {
    return grantedLevels(this.granted);
  }

  grant(level: ConsentLevel): void {
    this.granted.add(level);
  }

  withdraw(level: ConsentLevel): void {
    const from = CONSENT_LEVELS.indexOf(level);
    for (const higher of CONSENT_LEVELS.slice(from)) this.granted.delete(higher);
  }

  /** Replaces them all (the gateway's `resumed` answer after a page load). */
  restore(levels: readonly ConsentLevel[]): void {
    this.granted = new Set(grantedLevels(new Set(levels)));
  }

  clear(): void {
    this.granted.clear();
  }

  /** Whether an agent message may act on this page now. */
  allows(message: AgentCobrowseMessage): boolean {
    const needed = CONSENT_NEEDED[message.type];
    return needed === null || this.has(needed);
  }
}
