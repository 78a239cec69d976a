import { unwrapBridge } from '../../shared/contract-client';

/**
 * The renderer's only way to the outside world. Every call throws DeskError with a stable code
 * on failure. Read once at startup: the host installs `window.agentDesk` before any script runs.
 */
export const desk = unwrapBridge(window.agentDesk);
