import { Alert, Input, Modal } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskError } from '../../../shared/errors';
import { REVEAL_REASON_MIN } from '../../../shared/protocol';
import type { WithholdableField } from '../../../shared/visibility';
import { desk } from '../../app/desk';

/**
 * Asks why the agent needs a masked value, then asks the gateway for it (which checks the role
 * and audits the reason). The value goes back to the caller only: it is never stored.
 */
export function RevealDialog({
  orderId,
  field,
  label,
  onRevealed,
  onClose,
}: {
  orderId: string;
  field: WithholdableField;
  label: string;
  onRevealed: (value: string | null) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const tooShort = reason.trim().length < REVEAL_REASON_MIN;

  const submit = async () => {
    setTouched(true);
    if (tooShort || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const result = await desk.orders.reveal({ orderId, field, reason: reason.trim() });
      onRevealed(result.value);
      onClose();
    } catch (err) {
      setFailure(t(`errors.${DeskError.from(err).code}`));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={420}
      title={t('roleViews.reveal.title', { field: label })}
      okText={t('roleViews.reveal.confirm')}
      cancelText={t('roleViews.cancel')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'reveal-confirm' }}
      destroyOnHidden
    >
      <p className="reveal-hint">{t('roleViews.reveal.hint')}</p>
      <label htmlFor={reasonId} className="reveal-label">
        {t('roleViews.reveal.reason')}
      </label>
      <Input.TextArea
        id={reasonId}
        autoFocus
        rows={2}
        maxLength={200}
        value={reason}
        status={touched && tooShort ? 'error' : undefined}
        aria-invalid={touched && tooShort}
        onChange={(event) => setReason(event.target.value)}
        onPressEnter={(event) => {
          if (!event.shiftKey) {
            event.preventDefault();
            void submit();
          }
        }}
        data-testid="reveal-reason"
      />
      {touched && tooShort ? (
        <div className="reveal-error" role="alert" data-testid="reveal-reason-error">
          {t('roleViews.reveal.tooShort', { min: REVEAL_REASON_MIN })}
        </div>
      ) : null}
      {failure ? <Alert type="error" showIcon title={failure} className="reveal-failure" /> : null}
    </Modal>
  );
}
