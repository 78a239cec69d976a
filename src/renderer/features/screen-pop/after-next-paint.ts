/** A frame can be withheld (a throttled or occluded window): the workspace waits no longer. */
const MAX_WAIT_MS = 100;

/**
 * Resolves once the browser has painted what is in the DOM now (the next frame, then a task),
 * so work started afterwards cannot hold that paint back. A hidden page paints nothing: at once.
 */
export function afterNextPaint(): Promise<void> {
  if (document.visibilityState === 'hidden') return Promise.resolve();
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, MAX_WAIT_MS);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}
