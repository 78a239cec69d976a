import { SNIPPET_HOST_TAG, type MaskingPlan } from './masking';

/**
 * The agent's remote actions on the customer's page, each checked here against what the
 * customer can see being protected (consent is checked before these are called).
 */
export type AssistOutcome = 'done' | 'refused' | 'missing';

/** Field types a remote input may fill (checkboxes and radios are clicked, not typed into). */
const TYPABLE = new Set([
  'text',
  'search',
  'email',
  'tel',
  'url',
  'number',
  'date',
  'datetime-local',
  'month',
  'week',
  'time',
]);

function elementOf(node: Node | null): Element | null {
  if (!node) return null;
  const element = node.nodeType === 1 ? (node as Element) : node.parentElement;
  return element?.isConnected ? element : null;
}

/** The snippet's own UI (its consent buttons above all) is never the target of a remote action. */
export function isSnippetUi(element: Element): boolean {
  for (let el: Element | null = element; el;) {
    if (el.closest(SNIPPET_HOST_TAG)) return true;
    const root = el.getRootNode();
    el = root instanceof ShadowRoot ? root.host : null;
  }
  return false;
}

export function remoteClick(node: Node | null, plan: MaskingPlan): AssistOutcome {
  const element = elementOf(node);
  if (!element) return 'missing';
  if (isSnippetUi(element) || plan.zoneOf(element) === 'blocked') return 'refused';
  if (element instanceof HTMLInputElement && element.type === 'file') return 'refused';
  if (element instanceof HTMLElement) {
    element.focus({ preventScroll: true });
    element.click();
  } else {
    element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, composed: true }));
  }
  return 'done';
}

/** Sets a value the way a framework's controlled field notices it (the prototype's setter). */
function setValue(element: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string): void {
  const proto = Object.getPrototypeOf(element) as object;
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')?.set;
  if (setter) setter.call(element, value);
  else element.value = value;
  element.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  element.dispatchEvent(new Event('change', { bubbles: true }));
}

/**
 * Types into a field: refused for password fields, for fields in blocked or masked areas (the
 * agent may not see them, so must not change them), and for anything that is not a field.
 */
export function remoteInput(node: Node | null, value: string, plan: MaskingPlan): AssistOutcome {
  const element = elementOf(node);
  if (!element) return 'missing';
  if (isSnippetUi(element) || plan.zoneOf(element) !== 'open') return 'refused';
  if (element instanceof HTMLInputElement) {
    if (!TYPABLE.has(element.type) || element.disabled || element.readOnly) return 'refused';
  } else if (element instanceof HTMLTextAreaElement) {
    if (element.disabled || element.readOnly) return 'refused';
  } else if (element instanceof HTMLSelectElement) {
    if (element.disabled || ![...element.options].some((option) => option.value === value)) return 'refused';
  } else {
    return 'refused';
  }
  element.focus({ preventScroll: true });
  setValue(element, value);
  return 'done';
}

export function remoteScroll(win: Window, x: number, y: number): void {
  win.scrollTo({ left: Math.max(0, x), top: Math.max(0, y), behavior: 'auto' });
}
