import { afterEach, describe, expect, it, vi } from 'vitest';
import { remoteClick, remoteInput } from '../../src/cobrowse/assist';
import { planMasking } from '../../src/cobrowse/masking';
import { SnippetUi } from '../../src/cobrowse/ui';
import { policy } from './helpers';

const plan = () => planMasking(policy({ contact: 'masked', address: 'full' }), '/', document);

afterEach(() => {
  document.body.innerHTML = '';
});

describe('remote actions on the page', () => {
  it('never clicks the snippet’s own buttons, so the agent cannot allow for the customer', () => {
    const onAction = vi.fn();
    const ui = new SnippetUi(document, 'en', onAction, 'open');
    ui.render({ button: false, live: null, panel: { kind: 'ask', level: 'control', agent: 'Chen' } });
    const allow = ui.root.querySelector('button[data-action="allow"]');
    expect(remoteClick(allow, plan())).toBe('refused');
    expect(remoteClick(ui.host, plan())).toBe('refused');
    expect(onAction).not.toHaveBeenCalled();
    ui.destroy();
  });

  it('refuses clicks in blocked areas and on file pickers, and clicks elsewhere', () => {
    document.body.innerHTML = `<div data-agent-desk="payment"><button id="pay">Pay</button></div>
      <input id="file" type="file" /><button id="ok">OK</button>`;
    const clicks: string[] = [];
    document.body.addEventListener('click', (event) => clicks.push((event.target as Element).id));
    expect(remoteClick(document.getElementById('pay'), plan())).toBe('refused');
    expect(remoteClick(document.getElementById('file'), plan())).toBe('refused');
    expect(remoteClick(document.getElementById('ok'), plan())).toBe('done');
    expect(remoteClick(null, plan())).toBe('missing');
    expect(clicks).toEqual(['ok']);
  });

  it('types into open fields as the page’s own code would see it, and refuses the rest', () => {
    document.body.innerHTML = `<input id="plain" /><input id="password" type="password" />
      <input id="phone" data-agent-desk="contact" /><input id="street" data-agent-desk="address" />
      <input id="readonly" readonly /><input id="box" type="checkbox" />
      <select id="reason"><option value="">-</option><option value="late">Late</option></select>
      <p id="text">text</p>`;
    const seen: string[] = [];
    document.body.addEventListener('input', (event) => seen.push((event.target as HTMLInputElement).id));
    const value = (id: string) => (document.getElementById(id) as HTMLInputElement).value;
    expect(remoteInput(document.getElementById('plain'), 'hello', plan())).toBe('done');
    expect(remoteInput(document.getElementById('street'), 'Century Ave', plan())).toBe('done');
    expect(remoteInput(document.getElementById('reason'), 'late', plan())).toBe('done');
    expect(remoteInput(document.getElementById('reason'), 'bogus', plan())).toBe('refused');
    for (const id of ['password', 'phone', 'readonly', 'box', 'text']) {
      expect(remoteInput(document.getElementById(id), 'x', plan()), id).toBe('refused');
    }
    expect([value('plain'), value('street'), value('reason'), value('password'), value('phone')]).toEqual([
      'hello',
      'Century Ave',
      'late',
      '',
      '',
    ]);
    expect(seen).toEqual(['plain', 'street', 'reason']);
  });
});
