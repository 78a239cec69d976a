import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DEV_SIP_PATH } from '../../src/server/demo/sip/dev-sip-registrar';
import { startGateway } from '../../src/server/gateway';
import { Customer } from './customer/customer';
import { mediaDelta } from './customer/media-flow';
import { expect, test } from './fixtures';

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
    await alice.call('5002', { 'X-Order-Id': 'ord_demo_1' });
    await expect.poll(() => bob.state()).toBe('ringing');
    expect((await bob.incoming()).headers['X-Order-Id']).toBe('ord_demo_1');
    await bob.answer();
    await alice.waitEstablished();
    const a = await mediaDelta(() => alice.stats());
    const b = await mediaDelta(() => bob.stats());
    expect(a.bytesReceived).toBeGreaterThan(1000);
    expect(b.bytesReceived).toBeGreaterThan(1000);
    expect(await alice.sendDtmf('42#')).toBe(true);
    await expect.poll(() => bob.heardDtmf(), { timeout: 5000 }).toBe('42#');
    await bob.hangUp();
    await expect.poll(() => alice.state()).toBe('ended');
    await alice.close();
    await bob.close();
  } finally {
    await gateway.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
