import { Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VisibleOrderSummary } from '../../../shared/visibility';
import { desk } from '../../app/desk';
import { useFormat } from '../../i18n/useFormat';
import { selectOpenOrder, useOrdersStore } from '../../stores/orders';
import { OrderStatusTag } from './StatusTag';

const OTHER_ORDERS_LIMIT = 20;

/** The customer's other orders, newest first; one click opens one. */
export function CustomerOtherOrders({ customerId, orderId }: { customerId: string; orderId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const open = useOrdersStore(selectOpenOrder);
  const [loaded, setLoaded] = useState<{ customerId: string; items: VisibleOrderSummary[] } | null>(null);

  useEffect(() => {
    let current = true;
    desk.orders.byCustomer({ customerId, limit: OTHER_ORDERS_LIMIT }).then(
      ({ items }) => current && setLoaded({ customerId, items }),
      // Other orders are context, not the task: a failure leaves the list empty.
      () => current && setLoaded({ customerId, items: [] }),
    );
    return () => {
      current = false;
    };
  }, [customerId]);

  if (loaded?.customerId !== customerId) return <Spin size="small" />;
  const others = loaded.items.filter((order) => order.id !== orderId);
  if (others.length === 0) {
    return <Typography.Text type="secondary">{t('workspace.noOtherOrders')}</Typography.Text>;
  }
  return (
    <ul className="other-orders" data-testid="other-orders">
      {others.map((order) => (
        <li key={order.id}>
          <button type="button" className="other-order" onClick={() => void open(order.id)}>
            <span className="order-row-number">{order.displayNumber}</span>
            <OrderStatusTag status={order.status} />
            <span className="other-order-title">{order.firstItemTitle}</span>
            <span className="order-row-total">{format.money(order.total)}</span>
            <span className="order-row-date">{format.dateTime(order.createdAt)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
