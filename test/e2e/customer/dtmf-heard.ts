import { expect } from '@playwright/test';

/** How long one key's tone may take to be heard before the press counts as lost. */
const HEARD_WITHIN_MS = 1500;
/** Presses per key before the key counts as not working at all. */
const ATTEMPTS = 3;

/**
 * Presses each key and waits until the listener hears exactly that key, in order.
 *
 * The listener hears tones through Chromium's jitter buffer and a null audio sink. On a machine
 * whose two cores are fully loaded (CI running beside other work), that audio path skips a tone
 * about once in ten: measured 4 lost of ~40 with two busy loops on two cores, 0 of 40 when quiet.
 * That is the test rig starving, not the phone, so a key heard as nothing is pressed again, at
 * most {@link ATTEMPTS} times. A wrong key, a key heard twice, or a key never heard still fails,
 * and every resend is printed so a trend shows in the CI log.
 */
export async function expectKeysHeard(
  keys: string,
  press: (key: string) => Promise<void>,
  heard: () => Promise<string>,
): Promise<void> {
  let expected = await heard();
  for (const key of keys) {
    let attempt = 1;
    for (;;) {
      await press(key);
      const outcome = await waitForChange(heard, expected);
      if (outcome !== expected) {
        expect(outcome, `after pressing ${key}`).toBe(expected + key);
        expected = outcome;
        break;
      }
      if (attempt === ATTEMPTS) {
        throw new Error(
          `key ${key} was pressed ${ATTEMPTS} times and never heard (heard so far "${expected}")`,
        );
      }
      console.log(`DTMF: key ${key} not heard within ${HEARD_WITHIN_MS} ms; pressing it again`);
      attempt += 1;
    }
  }
  // Nothing more arrives late: a resent key must not be heard twice.
  await new Promise((resolve) => setTimeout(resolve, 400));
  expect(await heard()).toBe(expected);
}

async function waitForChange(read: () => Promise<string>, from: string): Promise<string> {
  const deadline = Date.now() + HEARD_WITHIN_MS;
  for (;;) {
    const now = await read();
    if (now !== from) {
      // Let a tone that is still arriving finish, so a double report is seen here.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return read();
    }
    if (Date.now() > deadline) return now;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
