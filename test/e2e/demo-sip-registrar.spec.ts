import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DEV_SIP_PATH } from '../../src/server/demo/sip/dev-sip-registrar';
import { startGateway } from '../../src/server/gateway';
import { Customer } from './customer/customer';
import { expectTwoPartyCall } from './customer/two-party-call';
import { test } from './fixtures';

/** The demo gateway's own SIP registrar carries a real sip.js call, media and DTMF included. */
test('two sip.js phones call each other through the demo gateway registrar: headers, two-way audio, DTMF', async ({
  context,
  customerSite,
}) => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-desk-devsip-'));
  const gateway = await startGateway({
    port: 0,
    dbPath: join(dir, 'gateway.db'),
    logger: pino({ level: 'silent' }),
    devSip: true,
  });
  try {
    const sip = { wsUrl: `${gateway.url}${DEV_SIP_PATH}`, domain: 'demo.agent-desk.invalid' };
    const alice = await Customer.open(context, customerSite, sip, '5001');
    const bob = await Customer.open(context, customerSite, sip, '5002');
    await expectTwoPartyCall(alice, bob, { orderId: 'ord_demo_1', dtmf: '42#', hangsUp: 'callee' });
    await alice.close();
    await bob.close();
  } finally {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
