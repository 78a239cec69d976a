import { useEffect } from 'react';
import { requestSearchFocus } from '../features/orders/searchFocus';
import { isSearchShortcut } from './shortcuts';

/** Ctrl/Cmd+K focuses the order search from anywhere in the shell. */
export function useSearchHotkey(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isSearchShortcut(event)) return;
      event.preventDefault();
      requestSearchFocus();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
