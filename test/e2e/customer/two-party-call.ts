import { expect } from '@playwright/test';
import type { Customer } from './customer';
import { expectKeysHeard } from './dtmf-heard';
import { mediaDelta } from './media-flow';

/**
 * The end-to-end check of a SIP server: `caller` calls `callee` with an X-Order-Id header, the
 * callee sees it while ringing and answers, audio flows both ways, DTMF is heard, and a hang-up
 * by `hangsUp` ends the call at the other end.
 */
export async function expectTwoPartyCall(
  caller: Customer,
  callee: Customer,
  options: { orderId: string; dtmf: string; hangsUp: 'caller' | 'callee' },
): Promise<void> {
  await caller.call(callee.user, { 'X-Order-Id': options.orderId });
  await expect.poll(() => callee.state()).toBe('ringing');
  expect((await callee.incoming()).headers['X-Order-Id']).toBe(options.orderId);
  await callee.answer();
  await caller.waitEstablished();
  const a = await mediaDelta(() => caller.stats());
  const b = await mediaDelta(() => callee.stats());
  expect(a.bytesReceived).toBeGreaterThan(1000);
  expect(b.bytesReceived).toBeGreaterThan(1000);
  expect(a.energy).toBeGreaterThan(0);
  await expectKeysHeard(
    options.dtmf,
    async (key) => expect(await caller.sendDtmf(key)).toBe(true),
    () => callee.heardDtmf(),
  );
  const [ending, other] = options.hangsUp === 'caller' ? [caller, callee] : [callee, caller];
  await ending.hangUp();
  await expect.poll(() => other.state()).toBe('ended');
}
