import { METHOD_NAMES, type Envelope, type MethodName } from '../shared/contract';
import { contractArgSchemas } from '../shared/contract-schemas';
import { DeskError } from '../shared/errors';
import type { Handlers } from './handlers';

const isMethodName = (name: string): name is MethodName => (METHOD_NAMES as readonly string[]).includes(name);

export type Dispatch = (method: string, args: unknown) => Promise<Envelope<unknown>>;

/**
 * The one entry point for renderer calls, shared by Electron IPC and the test harness:
 * unknown methods and invalid arguments are answered with stable codes before any service
 * runs, and every failure becomes an envelope instead of an exception.
 */
export function createDispatch(
  handlers: Handlers,
  onError?: (method: string, err: DeskError) => void,
): Dispatch {
  return async (method, args) => {
    if (!isMethodName(method)) {
      return {
        ok: false,
        error: { code: 'UNKNOWN_METHOD', message: `Unknown method: ${String(method).slice(0, 64)}` },
      };
    }
    const parsed = contractArgSchemas[method].safeParse(args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'arguments';
      return {
        ok: false,
        error: { code: 'BAD_REQUEST', message: `${method}: ${where}: ${issue?.message ?? 'invalid'}` },
      };
    }
    try {
      const handler = handlers[method] as (a: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      const error = DeskError.from(err);
      onError?.(method, error);
      return { ok: false, error: error.toInfo() };
    }
  };
}
