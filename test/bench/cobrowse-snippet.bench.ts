/**
 * Co-browse snippet benchmark (not a test): the built snippet in Chromium, recording a shop's
 * page, with a local websocket sink standing in for the gateway (cobrowse-sink.ts).
 *
 *   (a) the customer page's longest task (PerformanceObserver 'longtask': tasks over 50 ms)
 *       while recording a 5,000-element page: the customer's Allow (rrweb's first full
 *       snapshot), then a burst of changes, next to the same burst without recording; RUNS
 *       times (default 5, min / median / max), at the machine's speed and with the CPU
 *       throttled 4x (a modest laptop or phone). Machines shared with other work are noisy:
 *       the load average is printed;
 *   (b) bytes per minute the snippet sends for an idle page and for a busy page (a counter
 *       and a list changing every 100 ms), over WINDOW_S seconds (default 60: the periodic
 *       full snapshot falls inside), as sent and about as permessage-deflate would carry them,
 *       with the long tasks of that minute;
 *   (c) the snippet's size, minified, gzipped and brotli'd;
 *   plus a leak check: phone, address and card numbers typed into the page with the keyboard
 *   are searched for in every frame the sink received.
 *
 * Run: `npm run bench:cobrowse-snippet` (builds the snippet). WINDOW_S=N shortens (b), RUNS=N
 * changes (a).
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { brotliCompressSync, deflateRawSync, gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import config from '../../playwright.config';
import { KEEP_SNIPPET_ROOT, snippet, snippetButton } from './cobrowse-driver';
import { DEMO_MASKING, startCobrowseSink, type CobrowseSink } from './cobrowse-sink';
import { shopPage } from './cobrowse-shop-page';

const WINDOW_S = Number(process.env.WINDOW_S ?? 60);
const RUNS = Number(process.env.RUNS ?? 5);
const SNIPPET = resolve(import.meta.dirname, '../../out/cobrowse/agent-desk-cobrowse.js');

/** Long tasks from when `window.__measure.reset()` is called; iframes added to the page. */
const MEASURE = `{
  const state = { longTasks: [], on: false, iframes: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (state.on) state.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: false });
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node.nodeName === 'IFRAME') state.iframes++;
  }).observe(document, { childList: true, subtree: true });
  window.__measure = {
    reset() { state.longTasks = []; state.on = true; },
    stop() { state.on = false; return state.longTasks; },
    iframes() { return state.iframes; },
  };
}`;

/** 1,000 rows of 4 cells: 5,000 elements besides the shop's own. */
const BIG_TABLE = `<table id="big"><tbody>${Array.from(
  { length: 1000 },
  (_, i) =>
    `<tr><td>#${i}</td><td>SKU-${10_000 + i}</td><td>Item ${i} in stock</td><td>¥ ${(i * 7) % 500}.00</td></tr>`,
).join('')}</tbody></table>`;

/** A burst: 10 rounds, 100 ms apart, each rewriting 500 cells and replacing 100 rows. */
const BURST = `new Promise((done) => {
  const body = document.querySelector('#big tbody');
  let round = 0;
  const step = () => {
    const cells = body.querySelectorAll('td');
    for (let i = 0; i < 500; i++) cells[(round * 500 + i) % cells.length].textContent = 'changed ' + round + '-' + i;
    for (let i = 0; i < 100; i++) {
      body.firstElementChild.remove();
      const row = document.createElement('tr');
      row.innerHTML = '<td>new</td><td>' + round + '</td><td>row ' + i + '</td><td>¥ 1.00</td>';
      body.append(row);
    }
    if (++round < 10) setTimeout(step, 100); else setTimeout(done, 500);
  };
  step();
})`;

/** A counter and a list changing every 100 ms. */
const BUSY = `
  const counter = document.getElementById('counter');
  const list = document.getElementById('feed');
  let n = 0;
  setInterval(() => {
    counter.textContent = String(++n);
    const item = document.createElement('li');
    item.textContent = 'Update ' + n + ': parcel scanned at hub ' + (n % 17);
    list.prepend(item);
    if (list.children.length > 20) list.lastElementChild.remove();
  }, 100);`;
const BUSY_BODY = `<section style="margin: 0 32px"><h2>Live tracking <span id="counter">0</span></h2><ul id="feed"></ul></section>`;

const button = snippetButton;

/** Help, code, the agent joins, the customer allows: recording starts. */
async function startRecording(page: Page, sink: CobrowseSink): Promise<void> {
  await button(page, 'help').click();
  await snippet(page, '.code').waitFor();
  sink.send({ type: 'agent-joined', agent: { displayName: 'Agent Chen' }, masking: DEMO_MASKING });
  await button(page, 'allow').waitFor();
}

const longest = (tasks: number[]) => (tasks.length ? Math.max(...tasks) : 0);

/** One run: the longest task of the page's own burst, of Allow, of the burst while recording. */
async function longestTaskRun(browser: Browser, sink: CobrowseSink, cpuSlowdown: number) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(KEEP_SNIPPET_ROOT);
  await context.addInitScript(MEASURE);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
  await page.goto(`${sink.origin}/big`);
  await button(page, 'help').waitFor();
  const counts = (await page.evaluate(
    `(() => { let nodes = 0; const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL); while (walker.nextNode()) nodes++; return { elements: document.getElementsByTagName('*').length, nodes }; })()`,
  )) as { elements: number; nodes: number };

  await page.evaluate('window.__measure.reset()');
  await page.evaluate(BURST);
  const alone = longest((await page.evaluate('window.__measure.stop()')) as number[]);

  await startRecording(page, sink);
  const before = sink.frames.length;
  await page.evaluate('window.__measure.reset()');
  await button(page, 'allow').click();
  const first = await sink.waitFor((frame) => frame.type === 'events' || frame.type === 'chunk', before);
  await page.waitForTimeout(500);
  const allow = longest((await page.evaluate('window.__measure.stop()')) as number[]);
  const seq = (first.frame as { seq: number }).seq;
  const snapshotBytes = sink.frames
    .slice(before)
    .filter((f) => (f.frame.type === 'events' || f.frame.type === 'chunk') && f.frame.seq === seq)
    .reduce((sum, f) => sum + f.bytes, 0);

  await page.evaluate('window.__measure.reset()');
  await page.evaluate(BURST);
  const burst = longest((await page.evaluate('window.__measure.stop()')) as number[]);
  const sent = sink.frames.slice(before).reduce((sum, f) => sum + f.bytes, 0);
  const iframes = (await page.evaluate('window.__measure.iframes()')) as number;
  sink.send({ type: 'ended', by: 'agent', reason: 'bench' });
  await context.close();
  return { counts, alone, allow, burst, snapshotBytes, sent, iframes };
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const show = (ms: number) => (ms ? `${ms.toFixed(0)}` : '-');
  return `${show(sorted[0]!)} / ${show(sorted[Math.floor(sorted.length / 2)]!)} / ${show(sorted.at(-1)!)} ms`;
};

async function longestTask(browser: Browser, sink: CobrowseSink, cpuSlowdown: number): Promise<void> {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await longestTaskRun(browser, sink, cpuSlowdown));
  const { counts } = runs[0]!;
  console.log(
    `\n(a) longest task, CPU ${cpuSlowdown === 1 ? 'unthrottled' : `throttled ${cpuSlowdown}x`}, ${RUNS} runs, min / median / max ('-': no task over 50 ms)`,
  );
  console.log(`    page: ${counts.elements} elements, ${counts.nodes} nodes in all`);
  console.log(`    the page's burst, not recorded:        ${stats(runs.map((r) => r.alone))}`);
  console.log(`    Allow (the first full snapshot):       ${stats(runs.map((r) => r.allow))}`);
  console.log(`    the same burst while recording:        ${stats(runs.map((r) => r.burst))}`);
  console.log(
    `    first snapshot ${(runs[0]!.snapshotBytes / 1024).toFixed(0)} KiB; sent while recording ${(runs[0]!.sent / 1024).toFixed(0)} KiB; iframes the snippet added to the page: ${Math.max(...runs.map((r) => r.iframes))}`,
  );
}

async function bytesPerMinute(
  browser: Browser,
  sink: CobrowseSink,
  path: string,
  label: string,
): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(KEEP_SNIPPET_ROOT);
  await context.addInitScript(MEASURE);
  const page = await context.newPage();
  await page.goto(`${sink.origin}${path}`);
  await button(page, 'help').waitFor();
  await startRecording(page, sink);
  const before = sink.frames.length;
  await button(page, 'allow').click();
  await sink.waitFor((frame) => frame.type === 'events' || frame.type === 'chunk', before);
  // Let the first snapshot go by: the window measures the steady state (with its checkouts).
  await page.waitForTimeout(1_000);
  const from = performance.now();
  const start = sink.frames.length;
  await page.evaluate('window.__measure.reset()');
  await page.waitForTimeout(WINDOW_S * 1_000);
  const longTasks = (await page.evaluate('window.__measure.stop()')) as number[];
  const frames = sink.frames.slice(start).filter((frame) => frame.at >= from);
  const bytes = frames.reduce((sum, frame) => sum + frame.bytes, 0);
  const perMinute = (bytes / WINDOW_S) * 60;
  // What a websocket with permessage-deflate (context takeover) would carry, about.
  const deflated = deflateRawSync(frames.map((frame) => frame.text).join('')).length;
  const deflatedPerMinute = (deflated / WINDOW_S) * 60;
  const snapshots = frames.filter((f) => f.text.includes('"type":2,"data":{"node"')).length;
  console.log(
    `(b) ${label}: ${(perMinute / 1024).toFixed(1)} KiB/min, ~${(deflatedPerMinute / 1024).toFixed(1)} KiB/min deflated (${bytes} bytes in ${WINDOW_S} s, ${frames.length} frames, ${snapshots} with a full snapshot); long tasks: ${longTasks.length ? longTasks.map((ms) => ms.toFixed(0)).join(', ') + ' ms' : 'none'}`,
  );
  sink.send({ type: 'ended', by: 'agent', reason: 'bench' });
  await context.close();
}

async function leakCheck(browser: Browser, sink: CobrowseSink): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(KEEP_SNIPPET_ROOT);
  const page = await context.newPage();
  await page.goto(`${sink.origin}/shop`);
  await button(page, 'help').waitFor();
  const start = sink.frames.length;
  await startRecording(page, sink);
  await button(page, 'allow').click();
  await sink.waitFor((frame) => frame.type === 'events', start);
  const typed = {
    phone: '13987654321',
    street: '77 Lujiazui Ring Road',
    card: '4000056655665556',
    cvc: '737',
  };
  await page.locator('#phone').pressSequentially(typed.phone);
  await page.locator('#street').pressSequentially(typed.street);
  await page.locator('#card').pressSequentially(typed.card);
  await page.locator('#cvc').pressSequentially(typed.cvc);
  await page.locator('#city').pressSequentially('Pudong');
  sink.send({ type: 'agent', message: { type: 'resync' } });
  await page.waitForTimeout(500);
  const frames = sink.frames.slice(start);
  const everything =
    frames.map((f) => f.text).join('\n') +
    frames.map((f) => (f.frame.type === 'chunk' ? f.frame.data : '')).join('');
  const found = Object.entries(typed).filter(([, value]) => everything.includes(value));
  console.log(
    `leak check: ${frames.length} frames searched; ${found.length ? `FOUND ${found.map(([k]) => k).join(', ')}` : 'no typed phone, street, card or CVC in any of them'}; the public city field ${everything.includes('Pudong') ? 'was' : 'was NOT'} recorded in full`,
  );
  sink.send({ type: 'ended', by: 'agent', reason: 'bench' });
  await context.close();
}

function size(): void {
  const code = readFileSync(SNIPPET);
  console.log(
    `(c) snippet size: ${(code.length / 1024).toFixed(1)} KiB minified, ${(gzipSync(code, { level: 9 }).length / 1024).toFixed(1)} KiB gzipped, ${(brotliCompressSync(code).length / 1024).toFixed(1)} KiB brotli`,
  );
}

async function main(): Promise<void> {
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on this machine`,
  );
  size();
  const sink = await startCobrowseSink({
    '/shop': shopPage({ lang: 'en' }),
    '/big': shopPage({ lang: 'en', extraBody: BIG_TABLE }),
    '/idle': shopPage({ lang: 'en' }),
    '/busy': shopPage({ lang: 'en', extraBody: BUSY_BODY, script: BUSY }),
  });
  const browser = await chromium.launch({ ...config.use?.launchOptions, headless: true });
  try {
    await leakCheck(browser, sink);
    await longestTask(browser, sink, 1);
    await longestTask(browser, sink, 4);
    await bytesPerMinute(browser, sink, '/idle', 'idle page');
    await bytesPerMinute(browser, sink, '/busy', 'busy page (counter + list every 100 ms)');
  } finally {
    await browser.close();
    await sink.close();
  }
}

await main();
