import { useEffect } from 'react';
import { useScreenPopStore } from '../../stores/screenPop';
import { useSoftphoneStore } from '../../stores/softphone';

/** Pops every new inbound call the moment it starts ringing (mounted once, in the shell). */
export function useScreenPop(): void {
  useEffect(() => {
    const popped = new Set<string>();
    const popRinging = () => {
      for (const call of useSoftphoneStore.getState().calls) {
        if (call.direction !== 'inbound' || call.status !== 'ringing' || popped.has(call.id)) continue;
        popped.add(call.id);
        void useScreenPopStore.getState().popCall(call);
      }
    };
    popRinging();
    const unsubscribe = useSoftphoneStore.subscribe(popRinging);
    return () => {
      unsubscribe();
      // Customer data must not outlive the session.
      useScreenPopStore.getState().reset();
    };
  }, []);
}
