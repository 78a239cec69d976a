import { Replayer } from '@rrweb/replay';
import '@rrweb/replay/dist/style.css';
import type { RecordedEvent } from './batch-assembler';
import type { Point, Rect, Size } from './coordinates';
import type { ReplayOptions, ReplaySurface, ReplayTarget } from './replay-surface';

type ReplayEvent = Parameters<Replayer['addEvent']>[0];
type ReplayPlugin = NonNullable<NonNullable<ConstructorParameters<typeof Replayer>[1]>['plugins']>[number];

const ELEMENT_NODE = 1;
const TEXT_INPUT_TYPES = new Set(['', 'text', 'search', 'email', 'tel', 'url', 'number', 'password']);

/** The class the replay gives elements the customer's page blocked (sent as an empty box). */
export const BLOCKED_CLASS = 'agent-desk-blocked';
/** Added to blocked boxes too small to carry the label (the snippet's own bar, an icon). */
const BLOCKED_SMALL_CLASS = 'agent-desk-blocked-small';

/**
 * rrweb sends a blocked element as an empty box of its size (rr_width/rr_height). Marked here, so
 * that the agent sees an area was hidden rather than a blank part of the page.
 */
const markBlocked: ReplayPlugin = {
  onBuild(node, { replayer }) {
    if ((node as Node).nodeType !== ELEMENT_NODE) return;
    const meta = replayer.getMirror().getMeta(node as Node);
    if (!meta || !('attributes' in meta) || meta.attributes.rr_width === undefined) return;
    const width = parseFloat(String(meta.attributes.rr_width));
    const height = parseFloat(String(meta.attributes.rr_height));
    (node as Element).classList.add(BLOCKED_CLASS);
    if (!(width >= 64 && height >= 20)) (node as Element).classList.add(BLOCKED_SMALL_CLASS);
  },
};

/** Styles inside the replayed page: hidden areas hatched and labelled, masked text set apart. */
function maskingStyles(hiddenLabel: string): string[] {
  const label = hiddenLabel.replace(/["\\\n]/g, '');
  return [
    `.${BLOCKED_CLASS}, .rr-block { background: repeating-linear-gradient(135deg, #e4e4e4 0 6px, #cfcfcf 6px 12px) !important; outline: 1px dashed #7a7a7a !important; outline-offset: -1px; overflow: hidden !important; }`,
    `.${BLOCKED_CLASS}:not(.${BLOCKED_SMALL_CLASS})::after { content: "${label}"; display: inline-block; margin: 2px 4px; padding: 0 4px; font: 600 11px/16px system-ui, sans-serif; color: #3d3d3d; background: #ffffffd9; border-radius: 2px; }`,
  ];
}

/**
 * rrweb's Replayer in live mode. Events are stamped with the time they arrive (on the clock the
 * Replayer's timer runs on), so each is applied on the next frame: the agent sees the page as it
 * is now, whatever the customer's clock says and however late the first snapshot came.
 */
export function createLiveReplay(root: HTMLElement, { hiddenLabel }: ReplayOptions): ReplaySurface {
  const replayer = new Replayer([], {
    root,
    liveMode: true,
    mouseTail: false,
    triggerFocus: false,
    pauseAnimation: false,
    showWarning: false,
    insertStyleRules: maskingStyles(hiddenLabel),
    plugins: [markBlocked],
    // A node missing after a gap is expected until the resync's snapshot: not worth a console line.
    logger: { log: () => undefined, warn: () => undefined },
  });
  // The timer starts here, not when the Replayer was made (tens of ms earlier): stamps taken from
  // an earlier start would hold every event back by that much.
  const baseline = Date.now();
  const startedAt = performance.now();
  replayer.startLive(baseline);

  let size: Size | null = null;
  const listeners = new Set<() => void>();
  let frame: number | null = null;
  const changed = () => {
    if (frame !== null) return;
    frame = requestAnimationFrame(() => {
      frame = null;
      for (const listener of listeners) listener();
    });
  };
  replayer.on('resize', (dimension) => {
    const { width, height } = dimension as Size;
    size = { width, height };
    changed();
  });
  replayer.on('event-cast', changed);
  // rrweb scrolls smoothly: the page keeps moving after the event. A new snapshot's document.open()
  // drops the frame's listeners, so the scroll listener is added again after each.
  const listenToScroll = () =>
    replayer.iframe.contentWindow?.addEventListener('scroll', changed, { passive: true });
  listenToScroll();
  replayer.on('fullsnapshot-rebuilded', listenToScroll);

  const frameWindow = () => replayer.iframe.contentWindow;
  const scrolling = () => replayer.iframe.contentDocument?.scrollingElement ?? null;
  const rectOfElement = (element: Element): Rect => {
    const { x, y, width, height } = element.getBoundingClientRect();
    return { x, y, width, height };
  };

  return {
    add(events: RecordedEvent[]) {
      for (const event of events) {
        const arrivedAt = baseline + (performance.now() - startedAt);
        replayer.addEvent({ ...event, timestamp: arrivedAt } as unknown as ReplayEvent);
      }
    },
    viewport: () => size,
    scroll(): Point {
      const view = frameWindow();
      return { x: view?.scrollX ?? 0, y: view?.scrollY ?? 0 };
    },
    maxScroll(): Point {
      const element = scrolling();
      if (!element) return { x: 0, y: 0 };
      return {
        x: element.scrollWidth - element.clientWidth,
        y: element.scrollHeight - element.clientHeight,
      };
    },
    targetAt(point: Point): ReplayTarget | null {
      const element = replayer.iframe.contentDocument?.elementFromPoint(point.x, point.y);
      if (!element) return null;
      const nodeId = replayer.getMirror().getId(element);
      if (nodeId < 0) return null;
      const tag = element.tagName.toLowerCase();
      const type = (element.getAttribute('type') ?? '').toLowerCase();
      const editable = tag === 'textarea' || (tag === 'input' && TEXT_INPUT_TYPES.has(type));
      return { nodeId, rect: rectOfElement(element), editable };
    },
    rectOf(nodeId: number): Rect | null {
      const node = replayer.getMirror().getNode(nodeId);
      return node && node.nodeType === ELEMENT_NODE ? rectOfElement(node as Element) : null;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      if (frame !== null) cancelAnimationFrame(frame);
      listeners.clear();
      replayer.destroy();
    },
  };
}
