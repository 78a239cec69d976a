/**
 * `npm run dev:web`: the demo gateway plus the harness, so the app can be used in any browser
 * without Electron. Prints the URL to open.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AGENT_WS_PATH } from '../../src/shared/protocol';
import { DEV_SIP_PATH } from '../../src/server/demo/sip/dev-sip-registrar';
import { startGateway } from '../../src/server/gateway';
import { startHarness } from './host';

const root = resolve(import.meta.dirname, '../..');
const dataDir = join(root, '.tmp', 'dev-web');
mkdirSync(dataDir, { recursive: true });

const gatewayUrlFromEnv = process.env.AGENT_DESK_GATEWAY_URL;
const gateway = gatewayUrlFromEnv
  ? null
  : await startGateway({
      port: Number(process.env.AGENT_DESK_GATEWAY_PORT ?? 8787),
      dbPath: join(dataDir, 'gateway.db'),
      demo: { orders: Number(process.env.AGENT_DESK_DEMO_ORDERS ?? 20_000) },
      devSip: true,
      // Now and then a few customers wait in the demo queue: their orders are prefetched.
      simulateQueue: { intervalMs: 30_000 },
    });
const gatewayUrl = gatewayUrlFromEnv ?? `${gateway!.url}${AGENT_WS_PATH}`;

const harness = await startHarness({
  rendererDir: join(root, 'out', 'renderer'),
  dataDir: join(dataDir, 'desk'),
  port: Number(process.env.AGENT_DESK_WEB_PORT ?? 5199),
  defaultGatewayUrl: gatewayUrl,
  demoGatewayUrl: gateway ? gatewayUrl : null,
});

const sipLine = gateway ? `\n  demo SIP (any extension, no password): ${gateway.url}${DEV_SIP_PATH}` : '';
console.log(
  `\nAgent Desk (browser, no Electron)\n  gateway: ${gatewayUrl}${sipLine}\n  open:    ${harness.url}\n`,
);

const shutdown = async () => {
  await harness.close();
  await gateway?.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
