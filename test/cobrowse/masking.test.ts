import { describe, expect, it } from 'vitest';
import type { FieldAccess } from '../../src/shared/visibility';
import { accessFor, planMasking, ruleMatches } from '../../src/cobrowse/masking';
import { CLASSES, policy, recordPage, settle, type } from './helpers';

const ACCESSES: FieldAccess[] = ['full', 'masked', 'hidden'];

describe('masking from the field classification', () => {
  for (const fieldClass of CLASSES) {
    for (const access of ACCESSES) {
      const effective = fieldClass === 'payment' ? 'hidden' : access;
      it(`records ${fieldClass} granted ${access} as ${effective}`, async () => {
        const { text } = await recordPage(
          `<div id="zone" data-agent-desk="${fieldClass}">
             <span>TEXT-${fieldClass}</span>
             <a href="tel:HREF-${fieldClass}" title="TITLE-${fieldClass}">call</a>
             <input id="field" />
           </div>
           <p>OUTSIDE</p>`,
          policy({ [fieldClass]: access }),
          () => type(document.getElementById('field'), `TYPED-${fieldClass}`),
        );
        expect(text).toContain('OUTSIDE');
        const tag = `"data-agent-desk":"${fieldClass}"`;
        if (effective === 'hidden') expect(text).not.toContain(tag);
        else expect(text).toContain(tag);
        if (effective === 'full') {
          for (const secret of ['TEXT', 'HREF', 'TITLE', 'TYPED'])
            expect(text).toContain(`${secret}-${fieldClass}`);
        } else {
          for (const secret of ['TEXT', 'HREF', 'TITLE', 'TYPED'])
            expect(text).not.toContain(`${secret}-${fieldClass}`);
        }
        if (effective === 'masked') expect(text).toMatch(/"\*{5,}"/); // masked text keeps its shape
        if (effective === 'hidden') expect(text).toContain('rr_width'); // a placeholder of the same size
      });
    }
  }

  it('blocks payment whatever the policy grants', () => {
    expect(accessFor(policy({ payment: 'full' }), 'payment')).toBe('hidden');
    expect(accessFor(policy({ payment: 'masked' }), 'payment')).toBe('hidden');
    expect(accessFor(null, 'payment')).toBe('hidden');
  });

  it('hides every class but public when there is no policy', () => {
    for (const fieldClass of CLASSES)
      expect(accessFor(null, fieldClass)).toBe(fieldClass === 'public' ? 'full' : 'hidden');
  });

  it('blocks an element tagged with a class it does not know, as a typo must not show data', async () => {
    const { text } = await recordPage(
      `<p data-agent-desk="adress">Room 1203, 88 Century Avenue</p>`,
      policy(),
    );
    expect(text).not.toContain('Century');
    expect(text).toContain('rr_width');
  });

  it('blocks untagged card fields the browser knows by autocomplete', async () => {
    const { text } = await recordPage(`<input id="card" autocomplete="cc-number" />`, policy(), () =>
      type(document.getElementById('card'), '4111111111111111'),
    );
    expect(text).not.toContain('4111111111111111');
  });
});

describe('form fields are masked by default', () => {
  it('masks every kind of field outside classes granted in full', async () => {
    const { text } = await recordPage(
      `<input id="phone" type="tel" />
       <input id="email" type="email" />
       <input id="hidden" type="hidden" value="HIDDEN-VALUE" />
       <input id="search" type="search" />
       <textarea id="note">PREFILLED-NOTE</textarea>
       <select id="city"><option value="">-</option><option value="sh">Shanghai</option></select>
       <div id="editable" contenteditable="true">EDITABLE-TEXT</div>
       <p>VISIBLE-LABEL</p>`,
      policy({ contact: 'full', address: 'full' }),
      () => {
        type(document.getElementById('phone'), '13812345678');
        type(document.getElementById('email'), 'li.wei@example.com');
        type(document.getElementById('search'), 'SEARCHED');
        type(document.getElementById('note'), 'TYPED-NOTE');
        const select = document.getElementById('city') as HTMLSelectElement;
        select.value = 'sh';
        select.dispatchEvent(new Event('change', { bubbles: true }));
        document.getElementById('editable')!.textContent = 'EDITED-TEXT';
      },
    );
    expect(text).toContain('VISIBLE-LABEL');
    // The options are the page's; which one the customer chose is not recorded.
    expect(text).toContain('Shanghai');
    expect(text).not.toContain('"selected"');
    expect(text).not.toContain('"text":"sh"');
    for (const secret of [
      '13812345678',
      'li.wei@example.com',
      'HIDDEN-VALUE',
      'SEARCHED',
      'PREFILLED-NOTE',
      'TYPED-NOTE',
      'EDITABLE-TEXT',
      'EDITED-TEXT',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('records a field in full only when every tag above it grants its class in full', async () => {
    const { text } = await recordPage(
      `<input id="city" data-agent-desk="public" />
       <div data-agent-desk="contact"><input id="nested" data-agent-desk="public" /></div>
       <div data-agent-desk="public"><input id="password" type="password" /></div>`,
      policy(),
      () => {
        type(document.getElementById('city'), 'CITY-SHANGHAI');
        type(document.getElementById('nested'), 'NESTED-VALUE');
        type(document.getElementById('password'), 'PASSWORD-VALUE');
      },
    );
    expect(text).toContain('CITY-SHANGHAI');
    expect(text).not.toContain('NESTED-VALUE');
    expect(text).not.toContain('PASSWORD-VALUE');
  });
});

describe('per-URL rules from the gateway', () => {
  const rules = [
    { urlPattern: '/checkout', mask: ['.shop-name'], block: ['#shop-card'] },
    { urlPattern: '/orders/*/edit', mask: ['.order-note'], block: [] },
  ];

  it('matches a prefix, or a glob against the path and query or the path', () => {
    expect(ruleMatches('/checkout', '/checkout/step-2?x=1')).toBe(true);
    expect(ruleMatches('/checkout', '/account')).toBe(false);
    expect(ruleMatches('/orders/*/edit', '/orders/42/edit')).toBe(true);
    expect(ruleMatches('/orders/*/edit', '/orders/42/edit?tab=2')).toBe(true);
    expect(ruleMatches('/orders/*/edit', '/orders/42/edit/history')).toBe(false);
    expect(ruleMatches('/search?q=*', '/search?q=phone')).toBe(true);
    expect(ruleMatches('/a.b', '/aXb')).toBe(false);
  });

  it('masks and blocks by selector on the pages a rule matches', async () => {
    const page = `<p class="shop-name">RULE-MASKED</p><p id="shop-card">RULE-BLOCKED</p><p class="order-note">NOTE</p>`;
    const checkout = await recordPage(page, policy({}, rules), undefined, '/checkout/pay');
    expect(checkout.text).not.toContain('RULE-MASKED');
    expect(checkout.text).not.toContain('RULE-BLOCKED');
    expect(checkout.text).toContain('NOTE');
    const other = await recordPage(page, policy({}, rules), undefined, '/account');
    expect(other.text).toContain('RULE-MASKED');
    expect(other.text).toContain('RULE-BLOCKED');
  });

  it('refuses remote typing into fields a rule masks', () => {
    document.body.innerHTML = `<div class="shop-name"><input id="a" /></div><input id="b" />`;
    const plan = planMasking(policy({}, rules), '/checkout', document);
    expect(plan.zoneOf(document.getElementById('a')!)).toBe('masked');
    expect(plan.zoneOf(document.getElementById('b')!)).toBe('open');
  });

  it('masks every text when a rule selector cannot be parsed, never failing open', async () => {
    const broken = [{ urlPattern: '/', mask: ['[[nope'], block: [] }];
    const { text } = await recordPage(`<p>ANY-TEXT</p><a href="mailto:MAIL">x</a>`, policy({}, broken));
    expect(text).not.toContain('ANY-TEXT');
    expect(text).not.toContain('MAIL');
    expect(planMasking(policy({}, broken), '/', document).invalidSelectors).toEqual(['[[nope']);
  });
});

describe('web components', () => {
  it('masks text inside a shadow root in a masked area, then and later', async () => {
    const { text } = await recordPage(
      `<div data-agent-desk="contact"><shop-card id="card"></shop-card></div><shop-card id="open"></shop-card>`,
      policy(),
      async () => {
        for (const id of ['card', 'open']) {
          const root = document.getElementById(id)!.attachShadow({ mode: 'open' });
          root.innerHTML = `<p>SHADOW-${id}</p><a href="tel:SHADOW-HREF-${id}">x</a>`;
        }
        await settle();
        document.getElementById('card')!.shadowRoot!.querySelector('p')!.textContent = 'SHADOW-LATER';
        document.getElementById('open')!.shadowRoot!.querySelector('p')!.textContent = 'OPEN-LATER';
      },
    );
    expect(text).toContain('SHADOW-open');
    expect(text).toContain('OPEN-LATER');
    for (const secret of ['SHADOW-card', 'SHADOW-HREF-card', 'SHADOW-LATER'])
      expect(text).not.toContain(secret);
  });
});

describe('web components in blocked areas', () => {
  it('records nothing of a shadow root in a blocked area, then or later', async () => {
    const { text } = await recordPage(
      `<div data-agent-desk="payment"><card-form id="early"></card-form><card-form id="late"></card-form></div>`,
      policy(),
      async () => {
        document.getElementById('early')!.attachShadow({ mode: 'open' }).innerHTML = '<p>EARLY-SHADOW</p>';
        await settle();
        const late = document.getElementById('late')!.attachShadow({ mode: 'open' });
        late.innerHTML = '<p>LATE-SHADOW</p><input id="n" />';
        await settle();
        late.querySelector('p')!.textContent = 'LATER-SHADOW';
        type(late.querySelector('input'), '4111111111111111');
      },
    );
    for (const secret of ['EARLY-SHADOW', 'LATE-SHADOW', 'LATER-SHADOW', '4111111111111111']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('changes after the first snapshot', () => {
  it('masks text, attributes and values added later in masked areas and never records hidden ones', async () => {
    const { text } = await recordPage(
      `<div id="contact" data-agent-desk="contact"></div><div id="risk" data-agent-desk="risk"></div><div id="open"></div>`,
      policy(),
      async () => {
        await settle();
        const contact = document.getElementById('contact')!;
        contact.innerHTML = `<span>LATER-NAME</span><a id="link">x</a>`;
        await settle();
        document.getElementById('link')!.setAttribute('href', 'tel:LATER-PHONE');
        document.getElementById('risk')!.innerHTML = '<b>LATER-RISK</b>';
        document.getElementById('open')!.innerHTML = '<b>LATER-OPEN</b>';
      },
    );
    expect(text).toContain('LATER-OPEN');
    for (const secret of ['LATER-NAME', 'LATER-PHONE', 'LATER-RISK']) expect(text).not.toContain(secret);
  });
});
