import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { currentOf, newGatewayKeys, parseGatewayKeys, type GatewayKeys } from './gateway-keys';
import { GatewayKeyError } from './key-error';
import { createKeyFile, readKeyFile } from './key-file';
import { KeyRing } from './key-ring';

export const KEY_FILE_ENV = 'AGENT_DESK_KEY_FILE';
/** The key file's JSON itself, for container secrets passed as environment variables. */
export const KEYS_JSON_ENV = 'AGENT_DESK_GATEWAY_KEYS';
export const DEFAULT_KEY_FILE_NAME = 'gateway-keys.json';

/** Where the gateway's keys come from: a key file, or the same JSON in AGENT_DESK_GATEWAY_KEYS. */
export type GatewayKeySource = { keyFile: string } | { keysJson: string };

/** The source named by a --key-file flag or the environment; null when none is named. */
export function keySourceFrom(
  keyFileFlag: string | undefined,
  env: Record<string, string | undefined>,
): GatewayKeySource | null {
  const keyFile = keyFileFlag ?? env[KEY_FILE_ENV];
  const keysJson = env[KEYS_JSON_ENV];
  if (keyFile !== undefined && keysJson !== undefined) {
    throw new GatewayKeyError(
      'KEY_SOURCE_CONFLICT',
      `Both a key file (--key-file or ${KEY_FILE_ENV}) and ${KEYS_JSON_ENV} are set: use one`,
    );
  }
  if (keyFile !== undefined) {
    if (keyFile.trim() === '') throw new GatewayKeyError('KEY_SOURCE_MISSING', 'The key file path is empty');
    return { keyFile };
  }
  return keysJson === undefined ? null : { keysJson };
}

/** Where a gateway without a key source keeps its keys: beside its database file. */
export function defaultKeyFilePath(dbPath: string): string {
  return join(dirname(resolve(dbPath)), DEFAULT_KEY_FILE_NAME);
}

export function readKeys(source: GatewayKeySource): GatewayKeys {
  return 'keyFile' in source ? readKeyFile(source.keyFile) : parseGatewayKeys(source.keysJson, KEYS_JSON_ENV);
}

export interface GatewayKeyStore {
  ring: KeyRing;
  /** The key file in use; null when the keys come from the environment. */
  keyFile: string | null;
  /** Re-reads the source into the ring; on any error the ring keeps its keys and this throws. */
  reload(): void;
}

/**
 * The gateway's keys from `source`. Without one, from gateway-keys.json beside the database,
 * created on first start so that a one-clone demo runs: a copy of the database file alone still
 * signs nothing, but production should keep the keys elsewhere, and a warning says so.
 */
export function openGatewayKeys(
  source: GatewayKeySource | undefined,
  dbPath: string,
  logger: Logger,
  nowMs: number = Date.now(),
): GatewayKeyStore {
  const resolved = source ?? besideDatabase(dbPath, logger, nowMs);
  const keys = readKeys(resolved);
  const ring = new KeyRing(keys);
  const keyFile = 'keyFile' in resolved ? resolve(resolved.keyFile) : null;
  const describe = (loaded: GatewayKeys) => ({
    keyFile: keyFile ?? KEYS_JSON_ENV,
    tokenKey: currentOf(loaded.token).id,
    auditKey: currentOf(loaded.audit).id,
  });
  logger.info(describe(keys), 'gateway keys loaded');
  return {
    ring,
    keyFile,
    reload: () => {
      const reloaded = readKeys(resolved);
      ring.replace(reloaded);
      logger.info(describe(reloaded), 'gateway keys reloaded');
    },
  };
}

function besideDatabase(dbPath: string, logger: Logger, nowMs: number): GatewayKeySource {
  if (dbPath === ':memory:') {
    throw new GatewayKeyError(
      'KEY_SOURCE_MISSING',
      `An in-memory database has no directory for its keys: give a key file or ${KEYS_JSON_ENV}`,
    );
  }
  const keyFile = defaultKeyFilePath(dbPath);
  if (!existsSync(keyFile)) {
    try {
      createKeyFile(keyFile, newGatewayKeys(nowMs));
      logger.warn({ keyFile }, 'created gateway keys beside the database');
    } catch (err) {
      // Another gateway starting on the same file created them first: use those.
      if (!(err instanceof GatewayKeyError && err.code === 'KEY_FILE_EXISTS')) throw err;
    }
  }
  logger.warn(
    { keyFile },
    `gateway keys are kept beside the database: fine for a demo, but in production keep them elsewhere (--key-file on another volume, or ${KEYS_JSON_ENV}) so that a copy of the data directory holds no keys`,
  );
  return { keyFile };
}
