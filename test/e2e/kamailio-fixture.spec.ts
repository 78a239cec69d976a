import { expect, test } from './fixtures';
import { Customer } from './customer/customer';
import { mediaDelta } from './customer/media-flow';

/** The fixtures themselves: Kamailio routes a call between two customer pages, media and DTMF flow. */
test('two customer pages call each other through Kamailio: X- headers, two-way audio, DTMF', async ({
  context,
  kamailio,
  customerSite,
}) => {
  const alice = await Customer.open(context, customerSite, kamailio, '2001');
  const bob = await Customer.open(context, customerSite, kamailio, '2002');
  await alice.call('2002', { 'X-Order-Id': 'ord_42' });
  await expect.poll(() => bob.state()).toBe('ringing');
  expect((await bob.incoming()).headers['X-Order-Id']).toBe('ord_42');
  await bob.answer();
  await alice.waitEstablished();
  const a = await mediaDelta(() => alice.stats());
  const b = await mediaDelta(() => bob.stats());
  expect(a.bytesReceived).toBeGreaterThan(1000);
  expect(b.bytesReceived).toBeGreaterThan(1000);
  expect(a.energy).toBeGreaterThan(0);
  expect(await alice.sendDtmf('159#')).toBe(true);
  await expect.poll(() => bob.heardDtmf(), { timeout: 5000 }).toBe('159#');
  await alice.hangUp();
  await expect.poll(() => bob.state()).toBe('ended');
  await alice.close();
  await bob.close();
});
