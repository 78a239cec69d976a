import { useEffect } from 'react';
import { useAgentStateStore } from '../../stores/agentState';
import { useInteractionStore } from '../../stores/interaction';
import { useSoftphoneStore } from '../../stores/softphone';
import { softphone } from './softphone';

/** The phone runs while the agent is signed in (the shell is mounted), and stops at sign-out. */
export function useSoftphone(): void {
  useEffect(() => {
    useAgentStateStore.getState().reset();
    // Calls of an earlier session (maybe another agent's) are not this session's interactions.
    useInteractionStore.getState().reset();
    softphone
      .start()
      .catch(() =>
        useSoftphoneStore
          .getState()
          .setLink({ state: 'offline', reason: 'unreachable', since: new Date().toISOString() }),
      );
    return () => {
      void softphone.stop();
    };
  }, []);
}
