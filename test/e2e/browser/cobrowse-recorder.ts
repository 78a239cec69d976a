/**
 * A stand-in for the customer-side snippet in the desk's co-browse spec: rrweb's recorder with the
 * snippet's masking (inputs masked, contact and address text masked, payment blocked), batches
 * handed to the spec every 30 ms through `__emitEvents` (a Playwright binding). The real snippet
 * (src/cobrowse) and the gateway's rooms are tested end to end by the integration spec.
 */
import { record } from '@rrweb/record';

declare global {
  interface Window {
    __emitEvents(events: unknown[]): void;
    __recorder: {
      start(): void;
      /** rrweb's mirror id of the element `selector` finds (-1: none). */
      idOf(selector: string): number;
      /** A full snapshot now (what the snippet sends when asked to resync). */
      snapshot(): void;
    };
  }
}

let buffer: unknown[] = [];

window.__recorder = {
  start() {
    record({
      emit(event) {
        buffer.push(event);
      },
      maskAllInputs: true,
      maskTextSelector: '[data-agent-desk="contact"], [data-agent-desk="address"]',
      blockSelector: '[data-agent-desk="payment"]',
      inlineImages: true,
    });
    setInterval(() => {
      if (buffer.length === 0) return;
      const batch = buffer;
      buffer = [];
      window.__emitEvents(batch);
    }, 30);
  },
  idOf(selector) {
    return record.mirror.getId(document.querySelector(selector));
  },
  snapshot() {
    record.takeFullSnapshot(true);
  },
};
