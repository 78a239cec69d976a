import { useEffect } from 'react';
import { DeskError } from '../../../shared/errors';
import { useAgentStateStore } from '../../stores/agentState';
import { useInteractionStore } from '../../stores/interaction';
import { useSoftphoneStore } from '../../stores/softphone';
import { useWrapUpStore } from '../../stores/wrapUp';
import { forgetCallHistoryLabels } from '../wrap-up/DuringCallTag';
import { softphone } from './softphone';

/** The phone runs while the agent is signed in (the shell is mounted), and stops at sign-out. */
export function useSoftphone(): void {
  useEffect(() => {
    // An earlier session's unsaved wrap-up is auto-saved here, before its interaction is forgotten.
    useAgentStateStore.getState().reset();
    // Calls of an earlier session (maybe another agent's) are not this session's interactions.
    useInteractionStore.getState().reset();
    forgetCallHistoryLabels();
    useWrapUpStore.getState().reset();
    softphone.start().catch((err: unknown) =>
      useSoftphoneStore.getState().setLink({
        state: 'offline',
        // Main refuses a ws:// phone server on another computer saved by an older desk.
        reason: DeskError.from(err).code === 'INSECURE_TRANSPORT' ? 'insecure' : 'unreachable',
        since: new Date().toISOString(),
      }),
    );
    return () => {
      void softphone.stop();
    };
  }, []);
}
