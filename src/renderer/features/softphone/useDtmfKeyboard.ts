import { useEffect } from 'react';
import { DIAL_KEYS } from './DialPad';

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/** While on a call, digits, * and # typed outside a text field are sent as DTMF. */
export function useDtmfKeyboard(onKey: ((key: string) => void) | null): void {
  useEffect(() => {
    if (!onKey) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (!(DIAL_KEYS as readonly string[]).includes(event.key)) return;
      event.preventDefault();
      onKey(event.key);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onKey]);
}
