import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrderStatus, PaymentStatus, ShipmentStatus } from '../../../shared/domain';

// Colours group statuses at a glance; the tag text always names the status, so no one has to
// tell colours apart.
const orderStatusColor: Record<OrderStatus, string> = {
  pending_payment: 'gold',
  paid: 'blue',
  fulfilling: 'cyan',
  shipped: 'geekblue',
  delivered: 'green',
  completed: 'green',
  cancelled: 'default',
  refunding: 'orange',
  refunded: 'purple',
  closed: 'default',
};

const paymentStatusColor: Record<PaymentStatus, string> = {
  pending: 'gold',
  authorized: 'blue',
  paid: 'green',
  failed: 'red',
  partially_refunded: 'orange',
  refunded: 'purple',
};

const shipmentStatusColor: Record<ShipmentStatus, string> = {
  label_created: 'default',
  in_transit: 'blue',
  out_for_delivery: 'cyan',
  delivered: 'green',
  exception: 'red',
  returned: 'orange',
};

interface StatusTagProps<S> {
  status: S;
  'data-testid'?: string;
}

export function OrderStatusTag({ status, ...rest }: StatusTagProps<OrderStatus>) {
  const { t } = useTranslation();
  return (
    <Tag color={orderStatusColor[status]} data-status={status} {...rest}>
      {t(`orderStatus.${status}`)}
    </Tag>
  );
}

export function PaymentStatusTag({ status, ...rest }: StatusTagProps<PaymentStatus>) {
  const { t } = useTranslation();
  return (
    <Tag color={paymentStatusColor[status]} data-status={status} {...rest}>
      {t(`paymentStatus.${status}`)}
    </Tag>
  );
}

export function ShipmentStatusTag({ status, ...rest }: StatusTagProps<ShipmentStatus>) {
  const { t } = useTranslation();
  return (
    <Tag color={shipmentStatusColor[status]} data-status={status} {...rest}>
      {t(`shipmentStatus.${status}`)}
    </Tag>
  );
}
