import { currentOf, type GatewayKeys, type StoredKey } from './gateway-keys';

export interface SigningKey {
  id: string;
  secret: Buffer;
  /** When it stopped signing new things; null for the current key. */
  retiredAtMs: number | null;
}

/** What TokenService signs and verifies with. */
export interface TokenKeys {
  currentTokenKey(): SigningKey;
  /** The token key with this id, retired or not; undefined if the ring has none. */
  tokenKey(id: string): SigningKey | undefined;
}

/** What verifies audit rows and checkpoints: any audit key ever used. */
export interface AuditKeyLookup {
  auditKey(id: string): SigningKey | undefined;
}

/** What the audit log and its checkpoints sign new things with. */
export interface AuditKeys extends AuditKeyLookup {
  currentAuditKey(): SigningKey;
}

/**
 * The gateway's keys in memory. `replace` swaps them in one step (a SIGHUP re-read of the key
 * file), so a running gateway picks up a rotation without a restart.
 */
export class KeyRing implements TokenKeys, AuditKeys {
  private keys: RingKeys;

  constructor(keys: GatewayKeys) {
    this.keys = ringKeys(keys);
  }

  replace(keys: GatewayKeys): void {
    this.keys = ringKeys(keys);
  }

  currentTokenKey(): SigningKey {
    return this.keys.currentToken;
  }

  tokenKey(id: string): SigningKey | undefined {
    return this.keys.token.get(id);
  }

  currentAuditKey(): SigningKey {
    return this.keys.currentAudit;
  }

  auditKey(id: string): SigningKey | undefined {
    return this.keys.audit.get(id);
  }
}

interface RingKeys {
  token: Map<string, SigningKey>;
  audit: Map<string, SigningKey>;
  currentToken: SigningKey;
  currentAudit: SigningKey;
}

function ringKeys(keys: GatewayKeys): RingKeys {
  return {
    token: new Map(keys.token.map((key) => [key.id, signingKey(key)])),
    audit: new Map(keys.audit.map((key) => [key.id, signingKey(key)])),
    currentToken: signingKey(currentOf(keys.token)),
    currentAudit: signingKey(currentOf(keys.audit)),
  };
}

function signingKey(key: StoredKey): SigningKey {
  return {
    id: key.id,
    secret: Buffer.from(key.key, 'base64'),
    retiredAtMs: key.retiredAt === undefined ? null : Date.parse(key.retiredAt),
  };
}
