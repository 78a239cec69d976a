import { useCallback, useEffect, useState } from 'react';
import { DeskError, type ErrorInfo } from '../../shared/errors';
import { applyLanguage } from '../i18n/language';
import { selectApplyConnection, selectApplySession, useSessionStore } from '../stores/session';
import { selectApplySettings, useSettingsStore } from '../stores/settings';
import { desk } from './desk';

export type BootState = { phase: 'starting' } | { phase: 'ready' } | { phase: 'failed'; error: ErrorInfo };

/**
 * Loads settings, session and connection state from the desk, applies the saved language, and
 * keeps the session and connection stores current from the desk's events.
 */
export function useDeskBootstrap(): { boot: BootState; retry: () => void } {
  const [boot, setBoot] = useState<BootState>({ phase: 'starting' });
  const [attempt, setAttempt] = useState(0);
  const applySettings = useSettingsStore(selectApplySettings);
  const applySession = useSessionStore(selectApplySession);
  const applyConnection = useSessionStore(selectApplyConnection);

  useEffect(() => {
    let cancelled = false;
    const unsubscribers: Array<() => void> = [];
    let sessionEventSeen = false;
    let connectionEventSeen = false;

    const start = async () => {
      try {
        // Subscribe before asking, and let an event that arrives meanwhile win over the older
        // answer. Inside the try: a missing bridge shows the failure screen, not a blank window.
        unsubscribers.push(
          desk.on('session.changed', (session) => {
            sessionEventSeen = true;
            applySession(session);
          }),
          desk.on('connection.changed', (connection) => {
            connectionEventSeen = true;
            applyConnection(connection);
          }),
        );
        const [settings, session, connection] = await Promise.all([
          desk.settings.get(),
          desk.session.get(),
          desk.connection.get(),
        ]);
        await applyLanguage(settings.language);
        if (cancelled) return;
        applySettings(settings);
        if (!sessionEventSeen) applySession(session);
        if (!connectionEventSeen) applyConnection(connection);
        setBoot({ phase: 'ready' });
      } catch (err) {
        if (!cancelled) setBoot({ phase: 'failed', error: DeskError.from(err).toInfo() });
      }
    };
    void start();

    return () => {
      cancelled = true;
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, [attempt, applySettings, applySession, applyConnection]);

  const retry = useCallback(() => {
    setBoot({ phase: 'starting' });
    setAttempt((n) => n + 1);
  }, []);

  return { boot, retry };
}
