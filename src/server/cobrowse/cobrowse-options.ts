import type { MaskingRule } from '../../shared/cobrowse-protocol';
import type { CodeLimits } from './cobrowse-codes';
import type { RelayedFrame } from './cobrowse-room';
import type { RoomLimits } from './cobrowse-rooms';
import type { CustomerLimits } from './customer-connection';
import type { WrongCodeLimits } from './wrong-code-limits';

/** Co-browse on the gateway (GatewayOptions.cobrowse); every field has a default. */
export interface CobrowseOptions {
  /**
   * Shop origins whose pages may open sessions, e.g. 'https://shop.example' (default none: every
   * customer connection is refused). Throws at start on an entry that is not an origin.
   */
  origins?: readonly string[];
  /** The gateway's own pages may open sessions too (default: with `demo`, for the demo shop). */
  allowOwnOrigin?: boolean;
  /** The shop's per-URL masking rules, sent with every join; validated at start. */
  rules?: readonly MaskingRule[];
  /**
   * Tests: every frame a customer sent, and every frame relayed to either side, as sent (to
   * search them for what must never leave the customer's browser). Never set in production.
   */
  onRelay?: (frame: RelayedFrame) => void;
  /** Epoch ms for codes, wrong-code limits and durations (tests move it). */
  now?: () => number;
  codeLimits?: Partial<CodeLimits>;
  wrongCodeLimits?: Partial<WrongCodeLimits>;
  customerLimits?: Partial<CustomerLimits>;
  roomLimits?: Partial<RoomLimits>;
  /** How often customer sockets are pinged; one that missed the last ping is cut (default 30 s). */
  heartbeatIntervalMs?: number;
  /** Where the built snippet is (default out/cobrowse in the repository). */
  snippetDir?: string;
}
