import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Address, Order } from '../../../shared/domain';
import { useFormat } from '../../i18n/useFormat';
import { DetailSection, FieldList } from './DetailSection';
import { ActionBar } from '../order-actions/ActionBar';
import { CustomerOtherOrders } from './CustomerOtherOrders';
import { OrderAfterSalesPane } from './OrderAfterSalesPane';
import { OrderHistoryPane } from './OrderHistoryPane';
import { OrderItemsTable } from './OrderItemsTable';
import { OrderLogisticsPane } from './OrderLogisticsPane';
import { OrderPromotionsPane } from './OrderPromotionsPane';
import { OrderRiskFlags } from './OrderRiskFlags';
import { OrderShipments } from './OrderShipments';
import { PlatformBadge } from './PlatformBadge';
import { OrderStatusTag, PaymentStatusTag } from './StatusTag';

/**
 * Everything an agent needs to answer "where is my order": header, actions and risk flags always
 * in view, the rest in tabs so that nothing essential falls below the fold at 1280x800.
 */
export function OrderDetail({ order }: { order: Order }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { customer, payment } = order;
  return (
    <article
      className="order-detail"
      data-testid="order-detail"
      data-order-id={order.id}
      data-version={order.version}
    >
      <header className="order-detail-header">
        <Typography.Text
          className="order-detail-number"
          copyable={{
            text: order.displayNumber,
            tooltips: [t('orderDetail.copyNumber'), t('orderDetail.copied')],
          }}
        >
          <span data-testid="order-detail-number">{order.displayNumber}</span>
        </Typography.Text>
        <PlatformBadge platform={order.platform} />
        <OrderStatusTag status={order.status} data-testid="order-detail-status" />
        <span className="order-detail-spacer" />
        <span className="order-detail-total">{format.money(payment.amount)}</span>
      </header>
      <div className="order-detail-dates">
        <span>
          {t('orderDetail.created')} {format.dateTime(order.createdAt)}
        </span>
        <span>
          {t('orderDetail.updated')} {format.dateTime(order.updatedAt)}
        </span>
      </div>

      <ActionBar order={order} />
      <OrderRiskFlags flags={order.riskFlags} />

      <Tabs
        size="small"
        className="order-detail-tabs"
        items={[
          {
            key: 'overview',
            label: t('workspace.tabs.overview'),
            children: <OrderOverview order={order} />,
          },
          {
            key: 'items',
            label: `${t('workspace.tabs.items')} ${order.items.length}`,
            children: <OrderItemsTable items={order.items} />,
          },
          {
            key: 'logistics',
            label: `${t('workspace.tabs.logistics')} ${order.shipments.length}`,
            children: <OrderLogisticsPane shipments={order.shipments} />,
          },
          {
            key: 'afterSales',
            label: `${t('workspace.tabs.afterSales')} ${order.afterSales.length}`,
            children: <OrderAfterSalesPane order={order} />,
          },
          {
            key: 'promotions',
            label: `${t('workspace.tabs.promotions')} ${order.promotions.length}`,
            children: <OrderPromotionsPane promotions={order.promotions} />,
          },
          {
            key: 'history',
            label: t('workspace.tabs.history'),
            children: <OrderHistoryPane order={order} />,
          },
          {
            key: 'otherOrders',
            label: t('workspace.tabs.otherOrders'),
            children: <CustomerOtherOrders customerId={customer.id} orderId={order.id} />,
          },
        ]}
      />
    </article>
  );
}

/** The first tab: who, how they paid, where it goes, what they bought and where the parcel is. */
function OrderOverview({ order }: { order: Order }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { customer, payment } = order;
  return (
    <div className="order-overview">
      <div className="order-detail-facts">
        <DetailSection title={t('orderDetail.customer')}>
          <FieldList
            fields={[
              { label: t('orderDetail.name'), value: customer.name },
              { label: t('orderDetail.phone'), value: customer.phone },
              { label: t('orderDetail.email'), value: customer.email },
            ]}
          />
        </DetailSection>
        <DetailSection title={t('orderDetail.payment')}>
          <FieldList
            fields={[
              { label: t('orderDetail.method'), value: paymentMethodLabel(payment.method, t) },
              { label: t('orderDetail.amount'), value: format.money(payment.amount) },
              { label: t('orderDetail.paymentStatus'), value: <PaymentStatusTag status={payment.status} /> },
              {
                label: t('orderDetail.paidAt'),
                value: payment.paidAt ? format.dateTime(payment.paidAt) : t('orderDetail.notPaid'),
              },
              { label: t('orderDetail.shippingFee'), value: format.money(order.shippingFee) },
            ]}
          />
        </DetailSection>
        <DetailSection title={t('orderDetail.shippingAddress')}>
          <PostalAddress address={order.shippingAddress} />
        </DetailSection>
      </div>
      <DetailSection title={t('orderDetail.items')}>
        <OrderItemsTable items={order.items} />
      </DetailSection>
      <DetailSection title={t('orderDetail.shipments')}>
        <OrderShipments shipments={order.shipments} />
      </DetailSection>
    </div>
  );
}

function PostalAddress({ address }: { address: Address }) {
  const format = useFormat();
  return (
    <address className="postal-address">
      <div>
        {address.name} · {address.phone}
      </div>
      <div>{address.line1}</div>
      {address.line2 && <div>{address.line2}</div>}
      <div>
        {address.city}, {address.region} {address.postalCode}
      </div>
      <div>{format.country(address.country)}</div>
    </address>
  );
}

const KNOWN_PAYMENT_METHODS = ['alipay', 'wechat_pay', 'unionpay', 'card', 'paypal', 'apple_pay'] as const;
type KnownPaymentMethod = (typeof KNOWN_PAYMENT_METHODS)[number];

/** Well-known payment codes in words; anything a platform names itself is shown as it came. */
function paymentMethodLabel(method: string, t: TFunction): string {
  return (KNOWN_PAYMENT_METHODS as readonly string[]).includes(method)
    ? t(`paymentMethods.${method as KnownPaymentMethod}`)
    : method;
}
