/**
 * Screenshots of the co-browse snippet's UI on a demo shop page, in both languages (not a
 * test): the help button, the code, the consent banner, the live bar, the scroll and control
 * requests, and control with the agent's pointer and a highlight. A stand-in gateway (cobrowse-sink.ts)
 * plays the agent's side. The snippet's shadow root stays closed (cobrowse-driver.ts).
 *
 * Run: `npm run build:cobrowse && tsx test/bench/cobrowse-snippet-screens.ts` -> test-results/cobrowse-snippet/
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import config from '../../playwright.config';
import { KEEP_SNIPPET_ROOT, snippet, snippetButton } from './cobrowse-driver';
import { DEMO_MASKING, startCobrowseSink } from './cobrowse-sink';
import { shopPage } from './cobrowse-shop-page';

const out = resolve(import.meta.dirname, '../../test-results/cobrowse-snippet');
mkdirSync(out, { recursive: true });

async function main(): Promise<void> {
  const sink = await startCobrowseSink({
    '/en': shopPage({ lang: 'en' }),
    '/zh': shopPage({ lang: 'zh-CN' }),
  });
  const browser = await chromium.launch({ ...config.use?.launchOptions, headless: true });
  try {
    for (const lang of ['en', 'zh'] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(KEEP_SNIPPET_ROOT);
      const page = await context.newPage();
      const shot = (name: string) => page.screenshot({ path: `${out}/${lang}-${name}.png` });
      const button = (action: string) => snippetButton(page, action);
      await page.goto(`${sink.origin}/${lang}`);
      await button('help').waitFor();
      await shot('1-button');
      await button('help').click();
      await snippet(page, '.code').waitFor();
      await shot('2-code');
      sink.send({
        type: 'agent-joined',
        agent: { displayName: lang === 'en' ? 'Agent Chen' : '客服 陈' },
        masking: DEMO_MASKING,
      });
      await button('allow').waitFor();
      await shot('3-consent');
      await button('allow').click();
      await button('stop').waitFor();
      await page.fill('#phone', '13812345678');
      await shot('4-live');
      sink.send({ type: 'agent', message: { type: 'consent-request', level: 'scroll' } });
      await button('allow').waitFor();
      await shot('4b-scroll-request');
      await button('allow').click();
      sink.send({ type: 'agent', message: { type: 'consent-request', level: 'control' } });
      await button('allow').waitFor();
      await shot('5-control-request');
      await button('allow').click();
      await button('take-back').waitFor();
      const box = await page.locator('#save-address').boundingBox();
      if (box) sink.send({ type: 'agent', message: { type: 'pointer', x: box.x + 40, y: box.y + 12 } });
      await sink.waitFor((frame) => frame.type === 'events', 0);
      sink.send({ type: 'agent', message: { type: 'highlight', nodeId: sink.nodeIdOf('street') } });
      await page.waitForTimeout(300);
      await shot('6-control');
      await context.close();
    }
  } finally {
    await browser.close();
    await sink.close();
  }
  console.log(`screenshots in ${out}`);
}

await main();
