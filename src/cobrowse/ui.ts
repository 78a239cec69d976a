import type { ConsentLevel } from '../shared/cobrowse-protocol';
import { t, type MessageKey } from './i18n';
import { SNIPPET_HOST_TAG } from './masking';
import type { Lang } from './options';

export type UiAction = 'help' | 'cancel' | 'allow' | 'decline' | 'stop' | 'take-back' | 'close' | 'retry';

export type Panel =
  | { kind: 'connecting' }
  | { kind: 'code'; code: string }
  | { kind: 'ask'; level: ConsentLevel; agent: string }
  | { kind: 'notice'; message: MessageKey; action: 'close' | 'retry' | 'new-code' | null };

export interface ViewState {
  /** The "Get help" button (no session). */
  button: boolean;
  /** The bar while an agent can see the page. */
  live: { agent: string; level: ConsentLevel; reconnecting: boolean } | null;
  panel: Panel | null;
}

const STYLE = `
:host { all: initial; }
* { box-sizing: border-box; }
.ui { font: 13px/1.45 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", sans-serif;
  color: #1f2933; -webkit-font-smoothing: antialiased; }
.dock { position: fixed; right: 16px; bottom: 16px; display: flex; flex-direction: column; align-items: flex-end;
  gap: 8px; max-width: calc(100vw - 32px); pointer-events: none; }
.dock > * { pointer-events: auto; }
button { font: inherit; font-weight: 600; border-radius: 6px; padding: 5px 12px; cursor: pointer;
  border: 1px solid #c7ced6; background: #fff; color: #1f2933; }
button:hover { background: #f3f5f7; }
button:focus-visible { outline: 2px solid #1d5fd1; outline-offset: 2px; }
button.primary { background: #1d5fd1; border-color: #1d5fd1; color: #fff; }
button.primary:hover { background: #174eab; }
.help { display: inline-flex; align-items: center; gap: 6px; border-radius: 999px; padding: 7px 14px;
  box-shadow: 0 2px 8px rgba(15, 23, 42, .16); }
.help svg { width: 16px; height: 16px; }
.card { width: 300px; max-width: 100%; background: #fff; border: 1px solid #d8dee4; border-radius: 10px;
  box-shadow: 0 6px 24px rgba(15, 23, 42, .18); padding: 14px 16px; }
.card h2 { font-size: 14px; font-weight: 600; margin: 0 0 6px; }
.card p { margin: 0 0 10px; }
.code { font: 600 28px/1.2 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; letter-spacing: 4px;
  margin: 4px 0 8px; color: #111827; }
.privacy { display: flex; gap: 6px; color: #4b5563; font-size: 12px; }
.privacy svg { flex: none; width: 14px; height: 14px; margin-top: 2px; }
.actions { display: flex; justify-content: flex-end; gap: 8px; margin-top: 12px; }
.bar { display: flex; align-items: center; gap: 10px; background: #fff; border: 1px solid #d8dee4;
  border-radius: 999px; padding: 5px 6px 5px 12px; box-shadow: 0 2px 8px rgba(15, 23, 42, .16); }
.bar .dot { width: 8px; height: 8px; border-radius: 50%; background: #1f9d55; flex: none; }
.bar.control { border-color: #b45309; }
.bar.control .dot { background: #b45309; }
.bar.reconnecting .dot { background: #9ca3af; }
.bar button { padding: 3px 10px; border-radius: 999px; }
.frame { position: fixed; inset: 0; border: 3px solid #d97706; pointer-events: none; }
.sr { position: fixed; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.pointer { position: fixed; left: 0; top: 0; pointer-events: none; transition: transform 60ms linear; }
.pointer svg { width: 22px; height: 22px; overflow: visible; display: block; filter: drop-shadow(0 1px 1px rgba(0,0,0,.35)); }
.pointer span { display: inline-block; margin: 2px 0 0 12px; background: #7c3aed; color: #fff; font-size: 11px;
  font-weight: 600; border-radius: 4px; padding: 1px 6px; white-space: nowrap; }
.highlight { position: fixed; left: 0; top: 0; pointer-events: none; border: 2px solid #7c3aed; border-radius: 4px;
  background: rgba(124, 58, 237, .08); box-shadow: 0 0 0 4px rgba(124, 58, 237, .18); }
[hidden] { display: none !important; }
@media (prefers-reduced-motion: reduce) { .pointer { transition: none; } }
`;

const HOST_STYLE: [string, string][] = [
  ['all', 'initial'],
  ['position', 'fixed'],
  ['left', '0'],
  ['top', '0'],
  ['width', '0'],
  ['height', '0'],
  ['overflow', 'visible'],
  ['z-index', '2147483647'],
  ['display', 'block'],
  ['pointer-events', 'none'],
];

/**
 * The UI's CSS as a constructed stylesheet, which a shop's CSP does not block (a <style>
 * element needs style-src 'unsafe-inline'); a <style> element where they are not supported.
 */
function adoptStyle(doc: Document, root: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    root.adoptedStyleSheets = [sheet];
    return;
  } catch {
    const style = doc.createElement('style');
    style.textContent = STYLE;
    root.append(style);
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const ICONS = {
  help: 'M8 1a7 7 0 1 0 0 14A7 7 0 0 0 8 1Zm0 11.5a.9.9 0 1 1 0-1.8.9.9 0 0 1 0 1.8Zm1.2-4.3c-.6.4-.7.6-.7 1.1v.3H7.1v-.4c0-.9.3-1.4 1-1.9.6-.4.9-.7.9-1.2 0-.6-.4-1-1.1-1-.7 0-1.1.4-1.2 1.1H5.3C5.4 3.8 6.4 3 8 3c1.5 0 2.5.8 2.5 2 0 .9-.4 1.5-1.3 2.2Z',
  lock: 'M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5A1 1 0 0 1 13 8v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h.5ZM6 7h4V5a2 2 0 0 0-4 0v2Z',
  pointer: 'M2 1l11 6.5-4.6 1.2L11 14l-2 1-2.6-5.3L2 13Z',
};

function icon(doc: Document, path: string, fill = 'currentColor', stroke?: string): SVGSVGElement {
  const svg = doc.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  const shape = doc.createElementNS(SVG_NS, 'path');
  shape.setAttribute('d', path);
  shape.setAttribute('fill', fill);
  if (stroke) {
    // An outline keeps the pointer visible on any background.
    shape.setAttribute('stroke', stroke);
    shape.setAttribute('stroke-width', '1.2');
    shape.setAttribute('stroke-linejoin', 'round');
  }
  svg.append(shape);
  return svg;
}

/** How long the agent's pointer stays after its last move. */
const POINTER_LINGER_MS = 4_000;

/**
 * The snippet's UI, in a closed shadow root so the shop's CSS cannot reach it and its CSS
 * cannot reach the shop: the help button, the code and consent cards, the live bar, and the
 * agent's pointer and highlight drawn over the page (never taking the customer's clicks).
 */
export class SnippetUi {
  readonly host: HTMLElement;
  readonly root: ShadowRoot;
  private readonly dock: HTMLElement;
  private readonly status: HTMLElement;
  private readonly frame: HTMLElement;
  private readonly pointerEl: HTMLElement;
  private readonly pointerLabel: HTMLElement;
  private readonly highlightEl: HTMLElement;
  private pointerAt: { x: number; y: number } | null = null;
  private pointerTimer: ReturnType<typeof setTimeout> | null = null;
  private highlighted: Element | null = null;
  private framePending = false;
  private lastState: ViewState | null = null;
  private readonly reposition = () => this.schedulePosition();

  constructor(
    private readonly doc: Document,
    private readonly lang: Lang,
    private readonly onAction: (action: UiAction) => void,
    mode: ShadowRootMode = 'closed',
  ) {
    const host = doc.createElement(SNIPPET_HOST_TAG);
    // 0x0 at the top left: the shop's layout is untouched, the children are fixed to the
    // viewport. Set through the CSSOM, which a shop's CSP (style-src) allows, unlike a style attribute.
    for (const [property, value] of HOST_STYLE) host.style.setProperty(property, value, 'important');
    this.host = host;
    this.root = host.attachShadow({ mode });
    adoptStyle(doc, this.root);
    const ui = this.el('div', 'ui');
    ui.lang = lang;
    this.status = this.el('div', 'sr');
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    this.frame = this.el('div', 'frame');
    this.frame.hidden = true;
    this.highlightEl = this.el('div', 'highlight');
    this.highlightEl.hidden = true;
    this.pointerEl = this.el('div', 'pointer');
    this.pointerEl.hidden = true;
    this.pointerEl.setAttribute('aria-hidden', 'true');
    this.pointerLabel = this.el('span');
    this.pointerEl.append(icon(doc, ICONS.pointer, '#7c3aed', '#fff'), this.pointerLabel);
    this.dock = this.el('div', 'dock');
    ui.append(this.frame, this.highlightEl, this.pointerEl, this.dock, this.status);
    this.root.append(ui);
    this.root.addEventListener('click', (event) => {
      const button = (event.target as Element | null)?.closest?.('button[data-action]');
      if (button) this.onAction(button.getAttribute('data-action') as UiAction);
    });
    (doc.body ?? doc.documentElement).append(host);
    const win = doc.defaultView;
    win?.addEventListener('scroll', this.reposition, { passive: true, capture: true });
    win?.addEventListener('resize', this.reposition, { passive: true });
  }

  private el(tag: string, className?: string, text?: string): HTMLElement {
    const el = this.doc.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  private button(action: UiAction, label: MessageKey, primary = false, agent = ''): HTMLElement {
    const button = this.el('button', primary ? 'primary' : undefined, t(this.lang, label, agent));
    button.setAttribute('type', 'button');
    button.setAttribute('data-action', action);
    return button;
  }

  text(key: MessageKey): string {
    return t(this.lang, key);
  }

  /** Whether keyboard focus is in the snippet's UI. */
  containsFocus(): boolean {
    return this.doc.activeElement === this.host;
  }

  render(state: ViewState): void {
    const focused = this.containsFocus()
      ? (this.root.activeElement?.getAttribute('data-action') ?? '')
      : null;
    const previous = this.lastState;
    this.lastState = state;
    const children: HTMLElement[] = [];
    if (state.panel) children.push(this.panel(state.panel));
    if (state.live) children.push(this.bar(state.live));
    if (state.button) {
      const help = this.button('help', 'help');
      help.className = 'help';
      help.prepend(icon(this.doc, ICONS.help));
      children.push(help);
    }
    this.dock.replaceChildren(...children);
    this.frame.hidden = state.live?.level !== 'control';

    if (focused !== null) {
      const same = this.dock.querySelector<HTMLElement>(`button[data-action="${focused}"]`);
      (same ?? this.dock.querySelector<HTMLElement>('button'))?.focus();
    }
    const said = this.describe(state);
    if (said !== (previous ? this.describe(previous) : '')) this.announce(said);
  }

  /** What the status region says for a state (read by screen readers when it changes). */
  private describe(state: ViewState): string {
    const panel = state.panel;
    if (panel?.kind === 'ask') return this.askText(panel.level, panel.agent);
    if (panel?.kind === 'code') return `${t(this.lang, 'codeTitle')}: ${panel.code.split('').join(' ')}`;
    if (panel?.kind === 'connecting') return t(this.lang, 'connecting');
    if (panel?.kind === 'notice') return t(this.lang, panel.message);
    if (state.live) return this.liveText(state.live);
    return '';
  }

  private askText(level: ConsentLevel, agent: string): string {
    const key = level === 'view' ? 'askView' : level === 'scroll' ? 'askScroll' : 'askControl';
    return t(this.lang, key, agent);
  }

  private liveText(live: NonNullable<ViewState['live']>): string {
    if (live.reconnecting) return t(this.lang, 'reconnecting');
    const key = live.level === 'control' ? 'liveControl' : live.level === 'scroll' ? 'liveScroll' : 'live';
    return t(this.lang, key, live.agent);
  }

  private panel(panel: Panel): HTMLElement {
    const card = this.el('section', 'card');
    card.setAttribute('aria-label', t(this.lang, 'region'));
    const actions = this.el('div', 'actions');
    if (panel.kind === 'connecting') {
      card.append(this.el('p', undefined, t(this.lang, 'connecting')));
      actions.append(this.button('cancel', 'cancel'));
    } else if (panel.kind === 'code') {
      const code = this.el('div', 'code', panel.code);
      code.setAttribute('aria-label', panel.code.split('').join(' '));
      const privacy = this.el('p', 'privacy');
      privacy.append(icon(this.doc, ICONS.lock), this.el('span', undefined, t(this.lang, 'privacy')));
      card.append(
        this.el('h2', undefined, t(this.lang, 'codeTitle')),
        code,
        this.el('p', undefined, t(this.lang, 'codeHint')),
        privacy,
      );
      actions.append(this.button('cancel', 'cancel'));
    } else if (panel.kind === 'ask') {
      card.setAttribute('role', 'alertdialog');
      if (panel.level === 'view')
        card.append(this.el('h2', undefined, t(this.lang, 'askViewTitle', panel.agent)));
      card.append(this.el('p', undefined, this.askText(panel.level, panel.agent)));
      actions.append(this.button('decline', 'decline'), this.button('allow', 'allow', true));
    } else {
      card.append(this.el('p', undefined, t(this.lang, panel.message)));
      if (panel.action === 'retry')
        actions.append(this.button('close', 'close'), this.button('retry', 'tryAgain', true));
      else if (panel.action === 'new-code')
        actions.append(this.button('close', 'close'), this.button('retry', 'newCode', true));
      else if (panel.action === 'close') actions.append(this.button('close', 'close'));
    }
    if (actions.childElementCount) card.append(actions);
    return card;
  }

  private bar(live: NonNullable<ViewState['live']>): HTMLElement {
    const bar = this.el(
      'div',
      `bar${live.level === 'control' ? ' control' : ''}${live.reconnecting ? ' reconnecting' : ''}`,
    );
    bar.append(this.el('span', 'dot'), this.el('span', undefined, this.liveText(live)));
    if (live.level === 'control') bar.append(this.button('take-back', 'takeBack'));
    bar.append(this.button('stop', 'stop', true));
    return bar;
  }

  announce(text: string): void {
    this.status.textContent = text;
  }

  /** The agent's pointer at page coordinates. */
  pointer(x: number, y: number, label: string): void {
    this.pointerAt = { x, y };
    this.pointerLabel.textContent = label;
    this.pointerEl.hidden = false;
    if (this.pointerTimer) clearTimeout(this.pointerTimer);
    this.pointerTimer = setTimeout(() => this.hidePointer(), POINTER_LINGER_MS);
    this.schedulePosition();
  }

  hidePointer(): void {
    this.pointerAt = null;
    this.pointerEl.hidden = true;
  }

  /** A box around `element` (null: none). */
  highlight(element: Element | null): void {
    this.highlighted = element;
    this.highlightEl.hidden = element === null;
    this.schedulePosition();
  }

  /** Redraws the pointer and highlight where the page now puts them (after scrolls and changes). */
  schedulePosition(): void {
    if (this.framePending) return;
    this.framePending = true;
    const win = this.doc.defaultView;
    const run = () => {
      this.framePending = false;
      this.position();
    };
    if (win?.requestAnimationFrame) win.requestAnimationFrame(run);
    else setTimeout(run, 16);
  }

  private position(): void {
    const win = this.doc.defaultView;
    if (this.pointerAt && win) {
      const x = this.pointerAt.x - win.scrollX;
      const y = this.pointerAt.y - win.scrollY;
      this.pointerEl.style.transform = `translate(${x}px, ${y}px)`;
    }
    const target = this.highlighted;
    if (target) {
      if (!target.isConnected) {
        this.highlight(null);
        return;
      }
      const rect = target.getBoundingClientRect();
      const style = this.highlightEl.style;
      style.transform = `translate(${rect.left - 4}px, ${rect.top - 4}px)`;
      style.width = `${rect.width + 8}px`;
      style.height = `${rect.height + 8}px`;
    }
  }

  clearOverlays(): void {
    this.hidePointer();
    this.highlight(null);
  }

  destroy(): void {
    if (this.pointerTimer) clearTimeout(this.pointerTimer);
    const win = this.doc.defaultView;
    win?.removeEventListener('scroll', this.reposition, { capture: true });
    win?.removeEventListener('resize', this.reposition);
    this.host.remove();
  }
}
