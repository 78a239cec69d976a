import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log';
import type { LoginRefusal } from './auth-service';

/**
 * A refused sign-in is logged at warn (who, from where), never with the password. A wrong password
 * that starts a wait is audited (`auth.lockout`), once per wait: a guessing run leaves a trace in
 * the tamper-evident log without writing a row per guess.
 */
export function reportLoginRefusal(refusal: LoginRefusal, deps: { logger: Logger; audit: AuditLog }): void {
  const { username, address, throttled, lockouts } = refusal;
  deps.logger.warn({ username, address, throttled }, throttled ? 'sign-in throttled' : 'sign-in refused');
  for (const lockout of lockouts) {
    deps.audit
      .record({
        actor: 'anonymous',
        action: 'auth.lockout',
        target: lockout.username,
        details: {
          scope: lockout.kind,
          address: lockout.address,
          failures: lockout.failures,
          waitMs: lockout.waitMs,
        },
      })
      .catch((err: unknown) => deps.logger.error({ err }, 'could not audit a sign-in lockout'));
  }
}
