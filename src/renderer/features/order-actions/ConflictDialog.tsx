import { Button, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import type { VisibleOrder } from '../../../shared/visibility';
import { useFormat } from '../../i18n/useFormat';
import { OrderStatusTag, PaymentStatusTag } from '../orders/StatusTag';

/** Someone changed the order first: show what it is now and let the agent start from that. */
export function ConflictDialog({
  current,
  onReload,
  onClose,
}: {
  current: VisibleOrder;
  onReload: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const lastNote = current.notes?.at(-1);
  return (
    <Modal
      open
      title={t('actions.conflictTitle')}
      onCancel={onClose}
      footer={[
        <Button key="close" onClick={onClose}>
          {t('actions.cancel')}
        </Button>,
        <Button key="reload" type="primary" onClick={onReload} data-testid="conflict-reload">
          {t('actions.reload')}
        </Button>,
      ]}
    >
      <div data-testid="conflict-dialog" data-version={current.version}>
        <p>{t('actions.conflictBody')}</p>
        <p className="conflict-version">
          {t('actions.conflictVersion', {
            version: current.version,
            time: format.dateTime(current.updatedAt),
          })}
        </p>
        <div className="conflict-facts">
          <OrderStatusTag status={current.status} />
          <PaymentStatusTag status={current.payment.status} />
          <span>{format.money(current.payment.amount)}</span>
        </div>
        <address className="postal-address" data-testid="conflict-address">
          {current.shippingAddress.name} · {current.shippingAddress.line1}, {current.shippingAddress.city}
        </address>
        {lastNote ? (
          <p className="conflict-note" data-testid="conflict-last-note">
            {lastNote.author}: {lastNote.text}
          </p>
        ) : null}
      </div>
    </Modal>
  );
}
