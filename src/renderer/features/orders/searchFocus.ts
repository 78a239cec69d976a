/**
 * Lets anything (the Ctrl/Cmd+K hotkey, the rail's search button) focus the order search box
 * without knowing where it is mounted.
 */
const focusRequests = new EventTarget();

export function requestSearchFocus(): void {
  focusRequests.dispatchEvent(new Event('focus'));
}

/** Calls `listener` on every focus request; returns the unsubscribe function. */
export function onSearchFocusRequest(listener: () => void): () => void {
  focusRequests.addEventListener('focus', listener);
  return () => focusRequests.removeEventListener('focus', listener);
}
