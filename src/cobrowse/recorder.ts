import { record } from '@rrweb/record';
import type { eventWithTime } from '@rrweb/types';
import { closestAcrossShadow, TAG_ATTRIBUTE, type MaskingPlan } from './masking';

export type RecordedEvent = eventWithTime;

/** rrweb's event and node type numbers (the enums live in @rrweb/types; only these are needed). */
const FULL_SNAPSHOT = 2;
const META = 4;
const INCREMENTAL_SNAPSHOT = 3;
const MUTATION = 0;
const ELEMENT_NODE = 2;
const TEXT_NODE = 3;

/** Every kind of form field: values are masked unless the plan grants the field in full. */
const MASK_EVERY_INPUT = {
  input: true,
  textarea: true,
  select: true,
  color: true,
  date: true,
  'datetime-local': true,
  email: true,
  month: true,
  number: true,
  range: true,
  search: true,
  tel: true,
  text: true,
  time: true,
  url: true,
  week: true,
  password: true,
};

/** Attributes that say how an element looks, not what it holds: kept inside masked areas. */
const LAYOUT_ATTRIBUTES = new Set([
  'class',
  'id',
  'style',
  'type',
  'role',
  'name',
  'for',
  'dir',
  'lang',
  'hidden',
  'disabled',
  'tabindex',
  'width',
  'height',
  'colspan',
  'rowspan',
  'checked',
  'selected',
  'aria-hidden',
  'rel',
  TAG_ATTRIBUTE,
  'rr_width',
  'rr_height',
  'rr_scrollLeft',
  'rr_scrollTop',
  '_cssText',
]);
/** The recorder has already masked these elements' `value`. */
const FORM_TAGS = new Set(['input', 'textarea', 'select']);

type Attributes = Record<string, unknown>;
interface SerializedNode {
  type: number;
  id: number;
  tagName?: string;
  attributes?: Attributes;
  childNodes?: SerializedNode[];
}

function scrubAttributes(attributes: Attributes, tagName: string): void {
  for (const name of Object.keys(attributes)) {
    if (LAYOUT_ATTRIBUTES.has(name) || (name === 'value' && FORM_TAGS.has(tagName))) continue;
    if (attributes[name] !== null) attributes[name] = '';
  }
}

/** An address without its query and fragment. */
export function withoutQuery(href: string): string {
  const end = href.search(/[?#]/);
  return end === -1 ? href : href.slice(0, end);
}

/** Text as rrweb masks it: every non-space character a '*'. */
const maskText = (text: string) => text.replace(/\S/g, '*');

/**
 * A second pass over what rrweb recorded, before it leaves:
 * - rrweb masks text and values but records attributes as they are: inside masked areas this
 *   empties every attribute that could carry the data (href="tel:…", title, data-*, alt, …);
 * - rrweb decides on text added later with `closest`, which stops at a shadow root: a web
 *   component's text inside a masked area would go out in the clear. Here the areas are
 *   looked up across shadow roots, and such text is masked.
 */
export class AttributeScrubber {
  constructor(
    private readonly zoneSelector: string,
    private readonly maskTextSelector: string,
    private readonly nodeById: (id: number) => Node | null,
  ) {}

  private inZone(id: number, parentInZone: boolean): boolean {
    if (parentInZone) return true;
    const node = this.nodeById(id);
    return node instanceof Element && node.matches(this.zoneSelector);
  }

  private elementOf(id: number): Element | null {
    const node = this.nodeById(id);
    return node?.nodeType === 1 ? (node as Element) : (node?.parentElement ?? null);
  }

  private closestInZone(id: number): boolean {
    return closestAcrossShadow(this.elementOf(id), this.zoneSelector) !== null;
  }

  private textMasked(id: number): boolean {
    const parent = this.elementOf(id);
    // CSS and scripts are not text the customer reads (rrweb leaves them too).
    if (!parent || parent.localName === 'style' || parent.localName === 'script') return false;
    return closestAcrossShadow(parent, this.maskTextSelector) !== null;
  }

  private walk(node: SerializedNode, parentInZone: boolean): void {
    if (node.type !== ELEMENT_NODE) {
      node.childNodes?.forEach((child) => this.walk(child, parentInZone));
      return;
    }
    const inZone = this.inZone(node.id, parentInZone);
    if (inZone && node.attributes) scrubAttributes(node.attributes, node.tagName ?? '');
    node.childNodes?.forEach((child) => this.walk(child, inZone));
  }

  scrub(event: RecordedEvent): RecordedEvent {
    if (event.type === META) {
      const data = event.data as { href: string };
      data.href = withoutQuery(data.href);
    } else if (event.type === FULL_SNAPSHOT) {
      this.walk((event.data as unknown as { node: SerializedNode }).node, false);
    } else if (event.type === INCREMENTAL_SNAPSHOT && event.data.source === MUTATION) {
      const data = event.data as unknown as {
        adds: { node: SerializedNode & { textContent?: string } }[];
        texts: { id: number; value: string | null }[];
        attributes: { id: number; attributes: Attributes }[];
      };
      for (const add of data.adds) {
        const node = add.node;
        if (node.type === ELEMENT_NODE && node.attributes && this.closestInZone(node.id)) {
          scrubAttributes(node.attributes, node.tagName ?? '');
        } else if (node.type === TEXT_NODE && node.textContent && this.textMasked(node.id)) {
          node.textContent = maskText(node.textContent);
        }
      }
      for (const text of data.texts) {
        if (text.value && this.textMasked(text.id)) text.value = maskText(text.value);
      }
      for (const change of data.attributes) {
        if (this.closestInZone(change.id)) {
          const node = this.nodeById(change.id);
          scrubAttributes(change.attributes, node instanceof Element ? node.tagName.toLowerCase() : '');
        }
      }
    }
    return event;
  }
}

/**
 * The page's recorder (rrweb's, one per page), masking by a plan. Starts only after the
 * customer allowed the view; a new plan (another page's rules, another agent's policy) starts
 * it again with a new full snapshot.
 */
export class PageRecorder {
  private stopRecording: (() => void) | null = null;
  private scrubber: AttributeScrubber | null = null;
  /** Changes recorded since the last full snapshot. */
  private sinceSnapshot = 0;
  private checkoutTimer: ReturnType<typeof setInterval> | null = null;
  private idleHandle: (() => void) | null = null;

  constructor(
    private readonly onEvent: (event: RecordedEvent) => void,
    private readonly onError: (error: unknown) => void,
    private readonly checkoutEveryMs = 60_000,
  ) {}

  get recording(): boolean {
    return this.stopRecording !== null;
  }

  start(plan: MaskingPlan): void {
    this.stop();
    const scrubber = new AttributeScrubber(plan.maskZoneSelector, plan.maskTextSelector, (id) =>
      record.mirror.getNode(id),
    );
    this.scrubber = scrubber;
    const stop = record({
      emit: (event) => {
        if (this.scrubber !== scrubber) return;
        this.sinceSnapshot = event.type === FULL_SNAPSHOT ? 0 : this.sinceSnapshot + 1;
        try {
          this.onEvent(scrubber.scrub(event));
        } catch (error) {
          this.onError(error);
        }
      },
      blockSelector: plan.blockSelector,
      maskTextSelector: plan.maskTextSelector,
      maskInputOptions: MASK_EVERY_INPUT as NonNullable<Parameters<typeof record>[0]>['maskInputOptions'],
      maskInputFn: (text, element) => plan.maskInput(text, element),
      slimDOMOptions: 'all',
      sampling: { scroll: 100, input: 'last', media: 800 },
      recordCanvas: false,
      collectFonts: false,
      inlineImages: false,
      recordCrossOriginIframes: false,
      recordAfter: 'DOMContentLoaded',
      errorHandler: (error) => {
        this.onError(error);
        return true;
      },
    });
    this.stopRecording = stop ?? null;
    this.checkoutTimer = setInterval(() => this.periodicCheckout(), this.checkoutEveryMs);
  }

  /**
   * The periodic full snapshot (so a reconnecting agent resyncs), taken by this code rather
   * than rrweb's checkoutEveryNms, which takes it inside whatever event comes next, maybe a
   * keystroke: here it waits for an idle moment, and is skipped when nothing changed.
   */
  private periodicCheckout(): void {
    if (this.sinceSnapshot === 0 || this.idleHandle) return;
    const run = () => {
      this.idleHandle = null;
      try {
        this.checkout();
      } catch (error) {
        this.onError(error);
      }
    };
    if (typeof requestIdleCallback === 'function') {
      const handle = requestIdleCallback(run, { timeout: 5_000 });
      this.idleHandle = () => cancelIdleCallback(handle);
    } else {
      const handle = setTimeout(run, 0);
      this.idleHandle = () => clearTimeout(handle);
    }
  }

  /** A full snapshot now (the agent's replay lost track, or a new agent view). */
  checkout(): void {
    if (this.stopRecording) record.takeFullSnapshot(true);
  }

  /** The live node an rrweb mirror id stands for, while recording. */
  node(id: number): Node | null {
    return this.stopRecording ? record.mirror.getNode(id) : null;
  }

  stop(): void {
    const stop = this.stopRecording;
    this.stopRecording = null;
    this.scrubber = null;
    if (this.checkoutTimer) clearInterval(this.checkoutTimer);
    this.checkoutTimer = null;
    this.idleHandle?.();
    this.idleHandle = null;
    if (stop) stop();
  }
}
