import { pino } from 'pino';
import { startGateway, type Gateway, type GatewayOptions } from '../../../../src/server/gateway';

/** A real gateway on a random loopback port, quiet unless TEST_LOG_LEVEL asks otherwise. */
export function startTestGateway(
  options: Omit<GatewayOptions, 'port' | 'host' | 'logger'>,
): Promise<Gateway> {
  return startGateway({
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...options,
  });
}
