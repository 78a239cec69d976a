import { createHmac } from 'node:crypto';
import { newGatewayKeys } from '../../../../src/server/keys/gateway-keys';
import { KeyRing } from '../../../../src/server/keys/key-ring';
import { defaultKeyFilePath, readKeys } from '../../../../src/server/keys/key-source';

/** Fresh keys, as `keys init` makes them. */
export function freshKeyRing(nowMs: number = Date.now()): KeyRing {
  return new KeyRing(newGatewayKeys(nowMs));
}

/** The keys a gateway started on `dbPath` without a key source uses (gateway-keys.json beside it). */
export function keysBesideDatabase(dbPath: string): KeyRing {
  return new KeyRing(readKeys({ keyFile: defaultKeyFilePath(dbPath) }));
}

/**
 * A session token built by hand in the gateway's format, `kid.base64url(claims).base64url(MAC)`,
 * or `base64url(claims).base64url(MAC)` when `keyId` is null (the format before key ids), as
 * someone holding `secret` would sign it.
 */
export function signTokenByHand(
  secret: Buffer,
  keyId: string | null,
  claims: Record<string, unknown>,
): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  const signed = keyId === null ? payload : `${keyId}.${payload}`;
  return `${signed}.${createHmac('sha256', secret).update(signed).digest('base64url')}`;
}
