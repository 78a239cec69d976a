/** macOS uses Cmd where other platforms use Ctrl. */
export const isMac = /Mac|iPhone|iPad/.test(navigator.userAgent);

/** The search shortcut as shown to the agent. */
export const searchShortcutLabel = isMac ? '⌘K' : 'Ctrl+K';

/** The search shortcut in aria-keyshortcuts syntax, for screen readers. */
export const searchShortcutKeys = isMac ? 'Meta+K' : 'Control+K';

/** Ctrl+K, or Cmd+K on macOS. */
export function isSearchShortcut(event: KeyboardEvent): boolean {
  return (isMac ? event.metaKey : event.ctrlKey) && !event.altKey && event.key.toLowerCase() === 'k';
}

/** The co-browse shortcut (join by code, or back to the session on screen) as shown to the agent. */
export const cobrowseShortcutLabel = isMac ? '⇧⌘L' : 'Ctrl+Shift+L';

/** Ctrl+Shift+L, or Shift+Cmd+L on macOS. */
export function isCobrowseShortcut(event: KeyboardEvent): boolean {
  return (
    (isMac ? event.metaKey : event.ctrlKey) &&
    event.shiftKey &&
    !event.altKey &&
    event.key.toLowerCase() === 'l'
  );
}
