import { useEffect } from 'react';
import { desk } from '../../app/desk';
import { isCobrowseShortcut } from '../../app/shortcuts';
import { useCobrowseStore } from '../../stores/cobrowse';
import { onSearchFocusRequest, requestSearchFocus } from '../orders/searchFocus';
import { receiveCobrowse, resetCobrowse, takeUpSessions } from './cobrowse-session';
import { mayCobrowseNow } from './may-cobrowse';

/** Brings the session on screen to the front, or (none, or it ended) opens the join dialog. */
export function openCobrowse(): void {
  const store = useCobrowseStore.getState();
  if (store.session && !store.session.ended) {
    store.show('replay');
    return;
  }
  store.close();
  store.openJoin();
}

/**
 * Co-browse while signed in: the customer's messages from main, a session main still holds
 * after a window reload, and the Ctrl/Cmd+Shift+L shortcut. Everything is forgotten at sign-out.
 */
export function useCobrowse(): void {
  useEffect(() => {
    const off = desk.on('cobrowse.message', receiveCobrowse);
    takeUpSessions().catch(() => undefined);
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isCobrowseShortcut(event) || !mayCobrowseNow()) return;
      event.preventDefault();
      openCobrowse();
    };
    window.addEventListener('keydown', onKeyDown);
    // The search sits behind the replay while co-browsing: Ctrl/Cmd+K brings it forward first.
    const offSearch = onSearchFocusRequest(() => {
      const store = useCobrowseStore.getState();
      if (!store.session || store.showing === 'search') return;
      store.show('search');
      requestAnimationFrame(() => requestSearchFocus());
    });
    return () => {
      off();
      offSearch();
      window.removeEventListener('keydown', onKeyDown);
      resetCobrowse();
    };
  }, []);
}
