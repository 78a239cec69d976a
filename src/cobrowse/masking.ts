import type { MaskingPolicy, MaskingRule } from '../shared/cobrowse-protocol';
import type { FieldAccess, FieldClass } from '../shared/visibility';
import { FIELD_CLASSES } from './contract';

/**
 * Masking at the source: what the recorder may read from the shop's page, decided in the
 * customer's browser from the policy the gateway sent for the agent who joined.
 *
 * - elements tagged `data-agent-desk="<class>"` follow the policy: 'full' as is, 'masked' text
 *   and values masked, 'hidden' blocked (a grey box); payment is blocked whatever the policy
 *   says, and so is a tag this snippet does not know (a typo must not show data);
 * - every form field's value is masked unless it sits only inside classes granted in full;
 *   password fields and card fields (autocomplete="cc-*") never show;
 * - the policy's per-URL rules add mask and block selectors on the pages they match;
 * - a rule selector the browser cannot parse masks every text on the page (failing open would
 *   leave the field it meant to hide in the clear).
 */

export const TAG_ATTRIBUTE = 'data-agent-desk';
/** The snippet's own UI (a closed shadow root): never recorded. */
export const SNIPPET_HOST_TAG = 'agent-desk-cobrowse';

const tagged = (value: string) => `[${TAG_ATTRIBUTE}="${value}"]`;
/** A tag that names none of the field classes. */
const UNKNOWN_TAG = `[${TAG_ATTRIBUTE}]${FIELD_CLASSES.map((c) => `:not(${tagged(c)})`).join('')}`;
/** Card fields the shop did not tag: browsers' autofill names them. */
const CARD_FIELDS = 'input[autocomplete^="cc-"]';
/** Free text the customer types outside form fields. */
const EDITABLE_TEXT = 'textarea, [contenteditable]:not([contenteditable="false"])';

/** What the snippet applies for a class: payment always hidden; a class missing from the policy hidden. */
export function accessFor(policy: MaskingPolicy | null, fieldClass: FieldClass): FieldAccess {
  if (fieldClass === 'payment') return 'hidden';
  const granted = policy?.classes[fieldClass];
  if (granted) return granted;
  return fieldClass === 'public' ? 'full' : 'hidden';
}

/**
 * `urlPattern` against the page's path and query: a prefix, or a glob where `*` is any
 * characters that must match the whole path and query, or the whole path (a glob written for
 * a page matches it with any query string too).
 */
export function ruleMatches(urlPattern: string, pathAndQuery: string): boolean {
  if (!urlPattern.includes('*')) return pathAndQuery.startsWith(urlPattern);
  const source = urlPattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const glob = new RegExp(`^${source}$`);
  return glob.test(pathAndQuery) || glob.test(pathAndQuery.split('?')[0] ?? '');
}

export function matchingRules(policy: MaskingPolicy | null, pathAndQuery: string): MaskingRule[] {
  return (policy?.rules ?? []).filter((rule) => ruleMatches(rule.urlPattern, pathAndQuery));
}

/** Whether the browser can parse `selector` (rules come from the gateway, not from this code). */
export function isValidSelector(selector: string, doc: Document): boolean {
  try {
    doc.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/** The element's parent, or the host of the shadow root it is the top of (web components). */
function parentAcrossShadow(element: Element): Element | null {
  if (element.parentElement) return element.parentElement;
  const root = element.getRootNode() as Node & { host?: Element };
  return root !== element && root.host ? root.host : null;
}

/** `element.closest(selector)`, continuing past shadow roots to their hosts. */
export function closestAcrossShadow(element: Element | null, selector: string): Element | null {
  for (let el = element; el;) {
    const found = el.closest(selector);
    if (found) return found;
    const root = el.getRootNode() as Node & { host?: Element };
    el = root.host ?? null;
  }
  return null;
}

export type InputAccess = 'full' | 'masked' | 'blocked';
/** Where an element sits: in a blocked area, a masked area, or neither. */
export type Zone = 'blocked' | 'masked' | 'open';

export interface MaskingPlan {
  /** For the recorder: elements not recorded at all. */
  readonly blockSelector: string;
  /** For the recorder: elements whose text is masked (and every text below them). */
  readonly maskTextSelector: string;
  /** Masked areas: their attributes are scrubbed too (an href="tel:…" tells as much as the text). */
  readonly maskZoneSelector: string;
  /** The rules in force, by their urlPattern: the plan must be rebuilt when this changes. */
  readonly ruleKey: string;
  /** Selectors from the rules the browser could not parse (then every text is masked). */
  readonly invalidSelectors: readonly string[];
  zoneOf(element: Element): Zone;
  /** How the value of one form field is recorded. */
  inputAccess(element: Element): InputAccess;
  /** The recorder's maskInputFn. */
  maskInput(text: string, element: HTMLElement): string;
}

export function maskValueText(text: string): string {
  return '*'.repeat(text.length);
}

export function planMasking(policy: MaskingPolicy | null, pathAndQuery: string, doc: Document): MaskingPlan {
  const rules = matchingRules(policy, pathAndQuery);
  const hiddenTags: string[] = [UNKNOWN_TAG];
  const maskedTags: string[] = [];
  const fullClasses = new Set<string>();
  for (const fieldClass of FIELD_CLASSES) {
    const access = accessFor(policy, fieldClass);
    if (access === 'hidden') hiddenTags.push(tagged(fieldClass));
    else if (access === 'masked') maskedTags.push(tagged(fieldClass));
    else fullClasses.add(fieldClass);
  }
  const invalidSelectors: string[] = [];
  const valid = (selectors: readonly string[]) =>
    selectors.filter((selector) => {
      if (isValidSelector(selector, doc)) return true;
      invalidSelectors.push(selector);
      return false;
    });
  const ruleBlocks = rules.flatMap((rule) => valid(rule.block));
  const ruleMasks = rules.flatMap((rule) => valid(rule.mask));

  const blockSelector = [SNIPPET_HOST_TAG, ...hiddenTags, CARD_FIELDS, ...ruleBlocks].join(', ');
  const maskZoneSelector = invalidSelectors.length
    ? 'html, body'
    : [...maskedTags, ...ruleMasks].join(', ') || ':not(*)';
  const maskTextSelector = [maskZoneSelector, EDITABLE_TEXT].join(', ');

  function zoneOf(element: Element): Zone {
    if (closestAcrossShadow(element, blockSelector)) return 'blocked';
    if (closestAcrossShadow(element, maskZoneSelector)) return 'masked';
    return 'open';
  }

  function inputAccess(element: Element): InputAccess {
    const zone = zoneOf(element);
    if (zone !== 'open') return zone;
    // (By name, not instanceof: a same-origin iframe's fields come from another realm.)
    if (element.localName === 'input' && (element as HTMLInputElement).type === 'password') return 'masked';
    // Full only when every tag above the field grants it.
    let grantedInFull = false;
    for (let el: Element | null = element; el; el = parentAcrossShadow(el)) {
      const tag = el.getAttribute(TAG_ATTRIBUTE);
      if (tag === null) continue;
      if (!fullClasses.has(tag)) return 'masked';
      grantedInFull = true;
    }
    return grantedInFull ? 'full' : 'masked';
  }

  return {
    blockSelector,
    maskTextSelector,
    maskZoneSelector,
    ruleKey: rules.map((rule) => rule.urlPattern).join('\n'),
    invalidSelectors,
    zoneOf,
    inputAccess,
    maskInput(text, element) {
      try {
        return inputAccess(element) === 'full' ? text : maskValueText(text);
      } catch {
        return maskValueText(text);
      }
    },
  };
}
