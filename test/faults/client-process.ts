import { appendFileSync } from 'node:fs';
import type { ChildClientConfig } from './child-client';
import { FaultClient } from './fault-client';

// The desk's sync stack alone in a process, so the fault harness can kill it with SIGKILL.
const config = JSON.parse(process.argv[2] ?? '{}') as ChildClientConfig;
const log = (line: string) => appendFileSync(config.logPath, `${line}\n`);

const client = await FaultClient.open(
  {
    cachePath: config.cachePath,
    key: Buffer.from(config.keyHex, 'hex'),
    url: config.url,
    token: config.token,
    checkIntervalMs: config.checkIntervalMs,
    requestTimeoutMs: config.requestTimeoutMs,
    ...(config.workerScript ? { workerScript: new URL(config.workerScript) } : {}),
  },
  {
    onStarted: (seq) => log(`R ${seq}`),
    onApplied: (seq) => log(`A ${seq}`),
    onResynced: (from, to) => log(`S ${from} ${to}`),
    onError: () => undefined,
  },
);

process.on('message', (message: { type: string; id: number; orderId: string; text: string }) => {
  if (message.type !== 'note') return;
  client
    .enqueueNote(message.orderId, message.text)
    .catch(() => undefined)
    .finally(() => process.send?.({ type: 'queued', id: message.id }));
});
process.send?.({ type: 'ready' });
