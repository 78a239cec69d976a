import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallRecord } from '../../../shared/call-history';
import { desk } from '../../app/desk';
import { useFormat } from '../../i18n/useFormat';
import { selectInteractions, useInteractionStore } from '../../stores/interaction';

type KnownCall = Pick<CallRecord, 'number' | 'startedAt'>;

/** Calls of earlier sessions, read once from the local call history (few, and small). */
let historyLoad: Promise<Map<string, KnownCall>> | null = null;
const loadHistory = () =>
  (historyLoad ??= desk.calls.recent({ limit: 500 }).then(
    (records) => new Map(records.map((record) => [record.callId, record])),
    () => new Map<string, KnownCall>(),
  ));

/** At sign-in (main wiped the history at the last sign-out) and in tests: forget what was read. */
export function forgetCallHistoryLabels(): void {
  historyLoad = null;
}

/**
 * "During call 14:32 · +86 138…" on an order history entry made in a call: the call's time and
 * number from this desk's calls; a call of another desk (or an older one) shows just that it
 * was made during a call.
 */
export function DuringCallTag({ interactionId }: { interactionId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const interactions = useInteractionStore(selectInteractions);
  const [history, setHistory] = useState<Map<string, KnownCall> | null>(null);
  const live = interactions[interactionId];
  useEffect(() => {
    if (live) return;
    let cancelled = false;
    void loadHistory().then((known) => {
      if (!cancelled) setHistory(known);
    });
    return () => {
      cancelled = true;
    };
  }, [live]);
  const call: KnownCall | undefined = live
    ? { number: live.number, startedAt: live.startedAt }
    : history?.get(interactionId);
  return (
    <span className="during-call-tag" data-testid="during-call" data-interaction-id={interactionId}>
      {call
        ? t('wrapUp.duringCall', { time: format.dateTime(call.startedAt), number: call.number })
        : t('wrapUp.duringCallUnknown')}
    </span>
  );
}
