import { test } from './fixtures';
import { Customer } from './customer/customer';
import { expectTwoPartyCall } from './customer/two-party-call';

/** The fixtures themselves: Kamailio routes a call between two customer pages, media and DTMF flow. */
test('two customer pages call each other through Kamailio: X- headers, two-way audio, DTMF', async ({
  context,
  kamailio,
  customerSite,
}) => {
  const alice = await Customer.open(context, customerSite, kamailio, '2001');
  const bob = await Customer.open(context, customerSite, kamailio, '2002');
  await expectTwoPartyCall(alice, bob, { orderId: 'ord_42', dtmf: '159#', hangsUp: 'caller' });
  await alice.close();
  await bob.close();
});
