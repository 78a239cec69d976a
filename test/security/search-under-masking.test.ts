import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../src/shared/domain';
import { maskPhone } from '../../src/shared/visibility';
import type { AgentClient } from '../unit/server/support/agent-client';
import { anOrder } from '../unit/shared/rules/order-builder';
import { startAttackGateway, type AttackGateway } from './support/attack-gateway';

/**
 * Attack: an agent whose role sees phones and names masked recovers them through search. The
 * mask shows the last 4 digits ("+*********2783") and the first character of the name; the
 * agent searches one more digit (or character) at a time and watches whether the customer's
 * order is still among the rows. It took about 50 searches and a second, and nothing was audited.
 */

const now = new Date();

function customerOrder(id: string, name: string, phone: string): Order {
  const built = anOrder('CNY', now).withId(id).item('EL-PB-20K', 15900).build();
  return {
    ...built,
    displayNumber: `SH-9${id.length}${id.charCodeAt(0)}`,
    customer: { ...built.customer, id: `cus_${id}`, name, phone },
  };
}

const TARGET = customerOrder('target', '欧阳明华', '+8613912342783');
/** Shares the target's last 4 digits: a last-4 search lists both, masked. */
const SAME_TAIL = customerOrder('same_tail', '李娜', '+8613700002783');

let attack: AttackGateway;

beforeAll(async () => {
  attack = await startAttackGateway({ orders: [TARGET, SAME_TAIL] });
});

afterAll(async () => {
  await attack?.close();
});

const idsFound = async (client: AgentClient, text: string) =>
  (await client.call('orders.search', { text, limit: 100 })).items.map((item) => item.id);

describe('search under masking', () => {
  it('a frontline agent walking digits in front of the masked phone recovers none of them', async () => {
    const agent = await attack.signIn('frontline');
    const row = (await agent.call('orders.get', { id: TARGET.id })).order;
    const masked = row.customer.phone!;
    expect(masked).toBe(maskPhone(TARGET.customer.phone));

    // The attacker's loop: the digits the mask shows, then one more at a time.
    let known = masked.replace(/\D/g, '');
    const hiddenDigits = masked.replace(/[^*]/g, '').length;
    for (let step = 0; step < hiddenDigits; step += 1) {
      let extended: string | null = null;
      for (let digit = 0; digit <= 9 && extended === null; digit += 1) {
        if ((await idsFound(agent, `${digit}${known}`)).includes(TARGET.id)) extended = `${digit}${known}`;
      }
      if (extended === null) break;
      known = extended;
    }

    expect(known).toBe(TARGET.customer.phone.slice(-4));
  });

  it('a name is found only whole: no prefix of it lists the customer', async () => {
    const agent = await attack.signIn('after_sales');
    const name = [...TARGET.customer.name];
    for (let length = 1; length < name.length; length += 1) {
      const prefix = name.slice(0, length).join('');
      expect(await idsFound(agent, prefix), `prefix "${prefix}"`).not.toContain(TARGET.id);
    }
    expect(await idsFound(agent, TARGET.customer.name)).toContain(TARGET.id);
  });

  it('what a caller says still finds them: the last 4 digits, the whole number with or without the country code', async () => {
    const agent = await attack.signIn('frontline');
    const lastFour = await idsFound(agent, '2783');
    expect(lastFour).toEqual(expect.arrayContaining([TARGET.id, SAME_TAIL.id]));
    expect(await idsFound(agent, TARGET.customer.phone)).toEqual([TARGET.id]);
    expect(await idsFound(agent, '139 1234 2783')).toEqual([TARGET.id]);
    expect(await idsFound(agent, '86 139 1234 2783')).toEqual([TARGET.id]);
    // Any other part of the number is not a phone search.
    expect(await idsFound(agent, '12342783')).not.toContain(TARGET.id);
    expect(await idsFound(agent, '139123')).not.toContain(TARGET.id);
  });

  it('a text with a NUL byte is answered, not an internal error', async () => {
    const agent = await attack.signIn('frontline');
    const outcome = await agent.request('orders.search', { text: 'ab\u0000c' });
    if (!outcome.ok) expect(outcome.error.code).toBe('BAD_REQUEST');
    else expect(outcome.result.items).toEqual([]);
  });
});

describe('the per-agent limit on searches by name or phone', () => {
  it('refuses a burst past the limit with the time to wait, audits it once, and leaves order numbers alone', async () => {
    const limited = await startAttackGateway({
      demoOrders: 20,
      orders: [TARGET],
      personalSearchLimits: { burst: 5, perMinute: 1, perHour: 100 },
    });
    try {
      const agent = await limited.signIn('frontline');
      const outcomes = [];
      for (let guess = 0; guess < 8; guess += 1) {
        outcomes.push(
          await agent.request('orders.search', { text: `张${String.fromCharCode(0x4e00 + guess)}` }),
        );
      }
      expect(outcomes.slice(0, 5).every((outcome) => outcome.ok)).toBe(true);
      const refused = outcomes.slice(5);
      for (const outcome of refused) {
        expect(outcome.ok).toBe(false);
        if (outcome.ok) continue;
        expect(outcome.error.code).toBe('RATE_LIMITED');
        expect(outcome.error.details?.retryAfterMs).toBeGreaterThan(0);
      }
      const audited = limited.readDb((db) =>
        db
          .prepare<[], { actor: string; details_json: string }>(
            "SELECT actor, details_json FROM audit_log WHERE action = 'search.burst'",
          )
          .all(),
      );
      expect(audited).toHaveLength(1);
      expect(JSON.parse(audited[0]!.details_json)).toMatchObject({ kind: 'name', limit: 'minute' });

      // An order number is public: not counted, not refused.
      const byNumber = await agent.call('orders.search', { text: TARGET.displayNumber });
      expect(byNumber.items.map((item) => item.id)).toEqual([TARGET.id]);
    } finally {
      await limited.close();
    }
  });
});
