import { Alert, Button, Empty, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  selectDetailError,
  selectOpenOrder,
  selectSelectedId,
  selectSelectedOrder,
  useOrdersStore,
} from '../../stores/orders';
import { OrderDetail } from './OrderDetail';

/** The right-hand pane: nothing chosen yet, loading, failed, or the chosen order. */
export function OrderDetailPane() {
  const { t } = useTranslation();
  const selectedId = useOrdersStore(selectSelectedId);
  const order = useOrdersStore(selectSelectedOrder);
  const error = useOrdersStore(selectDetailError);
  const open = useOrdersStore(selectOpenOrder);

  if (!selectedId) {
    return (
      <div className="pane-centered">
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('orderDetail.placeholder')} />
      </div>
    );
  }
  if (error) {
    return (
      <Alert
        type="error"
        showIcon
        className="pane-alert"
        data-testid="order-detail-error"
        title={t('orderDetail.loadFailed', { reason: t(`errors.${error.code}`) })}
        action={
          <Button size="small" onClick={() => void open(selectedId)}>
            {t('orderDetail.retry')}
          </Button>
        }
      />
    );
  }
  if (order?.id !== selectedId) {
    return (
      <div className="pane-centered">
        <Spin />
      </div>
    );
  }
  return <OrderDetail order={order} />;
}
