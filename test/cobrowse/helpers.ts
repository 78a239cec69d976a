import type { MaskingPolicy } from '../../src/shared/cobrowse-protocol';
import type { FieldAccess, FieldClass } from '../../src/shared/visibility';
import { planMasking } from '../../src/cobrowse/masking';
import { PageRecorder, type RecordedEvent } from '../../src/cobrowse/recorder';

export const CLASSES: FieldClass[] = ['public', 'contact', 'address', 'payment', 'internal', 'risk'];

export function policy(
  classes: Partial<Record<FieldClass, FieldAccess>> = {},
  rules: MaskingPolicy['rules'] = [],
): MaskingPolicy {
  return {
    classes: {
      public: 'full',
      contact: 'masked',
      address: 'masked',
      payment: 'hidden',
      internal: 'hidden',
      risk: 'hidden',
      ...classes,
    },
    rules,
  };
}

/** Types into a field as a browser would tell the page (value set, then an input event). */
export function type(element: Element | null, value: string): void {
  const field = element as HTMLInputElement;
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Lets rrweb's mutation observer and input listeners deliver. */
export function settle(ms = 30): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/**
 * Records document.body's page with rrweb through the snippet's plan while `act` changes it,
 * and returns everything recorded, serialized as the snippet would send it.
 */
export async function recordPage(
  html: string,
  masking: MaskingPolicy | null,
  act: () => void | Promise<void> = () => undefined,
  path = '/',
): Promise<{ text: string; events: RecordedEvent[] }> {
  document.body.innerHTML = html;
  const events: RecordedEvent[] = [];
  const errors: unknown[] = [];
  const recorder = new PageRecorder(
    (event) => events.push(event),
    (error) => errors.push(error),
  );
  recorder.start(planMasking(masking, path, document));
  await settle();
  await act();
  await settle();
  recorder.stop();
  if (errors.length) throw errors[0];
  return { text: JSON.stringify(events), events };
}
