import type { Page } from '@playwright/test';

/**
 * Drives the snippet's UI from Playwright while its shadow root stays closed, as on a shop
 * (an open root would also be seen, and recorded, by rrweb): an init script keeps a reference
 * to the root the snippet attaches, and buttons are found and pressed through it.
 */
export const KEEP_SNIPPET_ROOT = `{
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    if (this.localName === 'agent-desk-cobrowse') window.__agentDeskSnippetRoot = root;
    return root;
  };
}`;

const find = (selector: string) =>
  `window.__agentDeskSnippetRoot?.querySelector(${JSON.stringify(selector)})`;

export function snippet(page: Page, selector: string) {
  return {
    waitFor: () => page.waitForFunction(`!!${find(selector)}`),
    click: async () => {
      await page.waitForFunction(`!!${find(selector)}`);
      await page.evaluate(`${find(selector)}.click()`);
    },
  };
}

export const snippetButton = (page: Page, action: string) => snippet(page, `button[data-action="${action}"]`);
