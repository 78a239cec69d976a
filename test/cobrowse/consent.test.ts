import { describe, expect, it } from 'vitest';
import type { AgentCobrowseMessage } from '../../src/shared/cobrowse-protocol';
import { Consents } from '../../src/cobrowse/consent';

const MESSAGES: AgentCobrowseMessage[] = [
  { type: 'pointer', x: 1, y: 1 },
  { type: 'highlight', nodeId: 1 },
  { type: 'consent-request', level: 'scroll' },
  { type: 'resync' },
  { type: 'scroll', x: 0, y: 0 },
  { type: 'click', nodeId: 1 },
  { type: 'input', nodeId: 1, value: 'x' },
  { type: 'release-control' },
];
const allowed = (consents: Consents) =>
  MESSAGES.filter((message) => consents.allows(message)).map((m) => m.type);

describe('Consents', () => {
  it('lets nothing act before the view is allowed but handing control back', () => {
    expect(allowed(new Consents())).toEqual(['release-control']);
  });

  it('stacks view, scroll and control', () => {
    const consents = new Consents();
    consents.grant('view');
    expect(allowed(consents)).toEqual([
      'pointer',
      'highlight',
      'consent-request',
      'resync',
      'release-control',
    ]);
    consents.grant('scroll');
    expect(allowed(consents)).toContain('scroll');
    expect(allowed(consents)).not.toContain('click');
    consents.grant('control');
    expect(allowed(consents)).toEqual(MESSAGES.map((m) => m.type));
  });

  it('counts a level only when every level below it is granted', () => {
    const consents = new Consents();
    consents.grant('control');
    expect(consents.has('control')).toBe(false);
    expect(allowed(consents)).toEqual(['release-control']);
  });

  it('withdraws the levels above the one withdrawn', () => {
    const consents = new Consents();
    consents.grant('view');
    consents.grant('scroll');
    consents.grant('control');
    consents.withdraw('scroll');
    expect(consents.levels()).toEqual(['view']);
    consents.grant('scroll');
    expect(consents.levels()).toEqual(['view', 'scroll']);
  });

  it('restores what the gateway kept, only as far as the levels stack', () => {
    const consents = new Consents();
    consents.restore(['view', 'control']);
    expect(consents.levels()).toEqual(['view']);
    consents.grant('scroll');
    expect(consents.has('control')).toBe(false);
  });
});
