import { Button, Input, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DISPOSITIONS, type Disposition } from '../../../shared/agent-state';
import type { CallAction, CallOrderRef } from '../../../shared/call-history';
import { selectAgentStatus, useAgentStateStore } from '../../stores/agentState';
import { useInteractionStore, type Interaction } from '../../stores/interaction';
import { actionKey, orderKey, useWrapUpStore, type WrapUpDraft } from '../../stores/wrapUp';
import { AcwCountdown } from './AcwCountdown';
import { callActionName } from '../wrap-up/call-action-name';

/** After-call work: a disposition (and an optional note) ends it early; otherwise the timer does. */
export function AfterCallWorkBar() {
  const status = useAgentStateStore(selectAgentStatus);
  if (status.state !== 'after_call_work' || !status.acw) return null;
  // Keyed by call: a new call's wrap-up starts with an empty form.
  return <AfterCallWorkForm key={status.acw.callId} callId={status.acw.callId} endsAt={status.acw.endsAt} />;
}

const NO_REMOVALS: ReadonlySet<string> = new Set();

/**
 * The wrap-up: the call's summary prefilled from what happened (orders opened, actions taken
 * with their outcome; actions taken during after-call work appear as they happen), which the
 * agent may trim, the disposition and a short note. Enter in the note saves. The form lives in
 * the wrap-up store, so what it holds is saved even when after-call work ends without a save.
 */
function AfterCallWorkForm({ callId, endsAt }: { callId: string; endsAt: string }) {
  const { t } = useTranslation();
  const interaction: Interaction | undefined = useInteractionStore((state) => state.byCall[callId]);
  const draft: WrapUpDraft | null = useWrapUpStore((state) =>
    state.draft?.callId === callId ? state.draft : null,
  );
  const edit = useWrapUpStore((state) => state.edit);
  const finish = useWrapUpStore((state) => state.finish);
  const disposition = draft?.disposition ?? null;
  const note = draft?.note ?? '';
  // What the agent took out of the summary; everything else that happened is in it.
  const removed = draft?.removed ?? NO_REMOVALS;
  const [missing, setMissing] = useState(false);

  const orders = (interaction?.orders ?? []).filter((order) => !removed.has(orderKey(order.orderId)));
  const actions = (interaction?.actions ?? []).filter((action) => !removed.has(actionKey(action)));
  const remove = (key: string) => edit(callId, { removed: new Set([...removed, key]) });

  const submit = async () => {
    const refusal = await finish(callId);
    setMissing(refusal === 'needs_disposition');
  };

  const actionText = (action: CallAction) =>
    t('wrapUp.action', {
      action: callActionName(t, action.type),
      order: action.displayNumber,
      outcome: t(`wrapUp.outcomes.${action.outcome}`),
    });

  return (
    <section className="acw-bar" data-testid="acw-bar" aria-label={t('agentState.acw.title')}>
      <div className="acw-bar-row">
        <strong>{t('agentState.acw.title')}</strong>
        <span className="acw-bar-left">
          {t('agentState.acw.endsIn')} <AcwCountdown endsAt={endsAt} />
        </span>
        <Select<Disposition>
          size="small"
          className="acw-disposition"
          placeholder={t('agentState.acw.disposition')}
          status={missing ? 'error' : undefined}
          value={disposition ?? undefined}
          onChange={(value) => {
            edit(callId, { disposition: value });
            setMissing(false);
          }}
          options={DISPOSITIONS.map((value) => ({ value, label: t(`agentState.dispositions.${value}`) }))}
          data-testid="acw-disposition"
        />
        <Input
          size="small"
          className="acw-note"
          maxLength={1000}
          placeholder={t('agentState.acw.note')}
          value={note}
          onChange={(event) => edit(callId, { note: event.target.value })}
          onPressEnter={() => void submit()}
          aria-describedby="acw-enter-hint"
          data-testid="acw-note"
        />
        <Button
          size="small"
          type="primary"
          autoInsertSpace={false}
          onClick={() => void submit()}
          data-testid="acw-finish"
        >
          {t('agentState.acw.finish')}
        </Button>
        <span id="acw-enter-hint" className="acw-hint">
          {t('wrapUp.enterSaves')}
        </span>
        {missing ? (
          <span className="acw-bar-error" role="alert" data-testid="acw-error">
            {t('agentState.refused.needs_disposition')}
          </span>
        ) : null}
      </div>
      {interaction ? (
        <div className="acw-summary" data-testid="acw-summary" aria-label={t('wrapUp.summary')}>
          <SummaryList
            label={t('wrapUp.ordersViewed')}
            empty={t('wrapUp.none')}
            testId="acw-summary-orders"
            items={orders.map((order: CallOrderRef) => ({
              key: orderKey(order.orderId),
              text: order.displayNumber,
            }))}
            onRemove={remove}
          />
          <SummaryList
            label={t('wrapUp.actionsTaken')}
            empty={t('wrapUp.none')}
            testId="acw-summary-actions"
            items={actions.map((action) => ({
              key: actionKey(action),
              text: actionText(action),
            }))}
            onRemove={remove}
          />
        </div>
      ) : null}
    </section>
  );
}

/** A labelled row of removable chips; each chip's remove button is reachable by Tab. */
function SummaryList({
  label,
  empty,
  items,
  onRemove,
  testId,
}: {
  label: string;
  empty: string;
  items: { key: string; text: string }[];
  onRemove: (key: string) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="acw-summary-list" data-testid={testId}>
      <span className="acw-summary-label">{label}</span>
      {items.length === 0 ? <span className="acw-summary-empty">{empty}</span> : null}
      {items.map((item) => (
        <span key={item.key} className="acw-chip" data-testid={`${testId}-item`}>
          {item.text}
          <button
            type="button"
            className="acw-chip-remove"
            aria-label={t('wrapUp.remove', { item: item.text })}
            onClick={() => onRemove(item.key)}
          >
            ×
          </button>
        </span>
      ))}
    </div>
  );
}
