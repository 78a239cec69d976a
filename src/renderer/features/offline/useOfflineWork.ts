import { useEffect } from 'react';
import { desk } from '../../app/desk';
import { selectApplyOffline, useOfflineStore } from '../../stores/offline';

/** Keeps the offline store current: loaded once signed in, then from main's events. */
export function useOfflineWork(): void {
  const apply = useOfflineStore(selectApplyOffline);
  useEffect(() => {
    let eventSeen = false;
    const off = desk.on('offline.changed', (state) => {
      eventSeen = true;
      apply(state);
    });
    desk.offline.get().then(
      (state) => {
        if (!eventSeen) apply(state);
      },
      // Without the list the desk still works; the next event brings it.
      () => undefined,
    );
    return off;
  }, [apply]);
}
