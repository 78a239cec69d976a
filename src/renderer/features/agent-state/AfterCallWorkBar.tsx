import { Button, Input, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DISPOSITIONS, type Disposition } from '../../../shared/agent-state';
import { selectAgentStatus, selectFinishAfterCallWork, useAgentStateStore } from '../../stores/agentState';
import { AcwCountdown } from './AcwCountdown';

/** After-call work: a disposition (and an optional note) ends it early; otherwise the timer does. */
export function AfterCallWorkBar() {
  const status = useAgentStateStore(selectAgentStatus);
  if (status.state !== 'after_call_work' || !status.acw) return null;
  // Keyed by call: a new call's wrap-up starts with an empty form.
  return <AfterCallWorkForm key={status.acw.callId} endsAt={status.acw.endsAt} />;
}

function AfterCallWorkForm({ endsAt }: { endsAt: string }) {
  const { t } = useTranslation();
  const finish = useAgentStateStore(selectFinishAfterCallWork);
  const [disposition, setDisposition] = useState<Disposition | null>(null);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);

  const submit = async () => {
    const refusal = await finish(disposition, note);
    setMissing(refusal === 'needs_disposition');
  };

  return (
    <section className="acw-bar" data-testid="acw-bar" aria-label={t('agentState.acw.title')}>
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
          setDisposition(value);
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
        onChange={(event) => setNote(event.target.value)}
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
      {missing ? (
        <span className="acw-bar-error" role="alert" data-testid="acw-error">
          {t('agentState.refused.needs_disposition')}
        </span>
      ) : null}
    </section>
  );
}
