import { Button, Tabs, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { OverviewFieldId, PanelId, RoleViewLayout } from '../../../shared/role-views';
import { selectLayout, useRoleViewStore } from '../../stores/roleView';
import { ClassifiedValue, RevealScopeProvider } from '../roles/ClassifiedValue';
import {
  FALLBACK_LAYOUT,
  openingPanel,
  overviewGroups,
  visiblePanels,
  type OverviewGroup,
} from '../roles/layout';
import type { TFunction } from 'i18next';
import type { VisibleAddress, VisibleOrder } from '../../../shared/visibility';
import type { CacheAge } from '../../../shared/offline';
import { useFormat } from '../../i18n/useFormat';
import { CacheAgeTag } from '../offline/CacheAgeTag';
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
export function OrderDetail({
  order,
  layout: layoutOverride,
  preview = false,
}: {
  order: VisibleOrder & CacheAge;
  /** The role view's layout (the editor's preview passes its draft); default: the own role's. */
  layout?: RoleViewLayout;
  /** The admin editor's preview: no gateway calls, no reveal, static action buttons. */
  preview?: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const ownLayout = useRoleViewStore(selectLayout);
  const layout = layoutOverride ?? ownLayout ?? FALLBACK_LAYOUT;
  const { customer, payment } = order;
  const panels = visiblePanels(layout);
  // Each order (and each new layout) opens on the view's default panel; a tab the agent picks
  // holds until then, unless a live layout change hides it.
  const openKey = `${order.id}|${panels.join(',')}|${layout.defaultPanel}`;
  const [picked, setPicked] = useState<{ key: string; panel: PanelId } | null>(null);
  const activePanel =
    picked && picked.key === openKey && panels.includes(picked.panel) ? picked.panel : openingPanel(layout);
  const panelContent: Record<PanelId, { label: string; children: ReactNode }> = {
    overview: {
      label: t('workspace.tabs.overview'),
      children: <OrderOverview order={order} layout={layout} />,
    },
    items: {
      label: `${t('workspace.tabs.items')} ${order.items.length}`,
      children: <OrderItemsTable items={order.items} />,
    },
    logistics: {
      label: `${t('workspace.tabs.logistics')} ${order.shipments.length}`,
      children: <OrderLogisticsPane shipments={order.shipments} />,
    },
    afterSales: {
      label: `${t('workspace.tabs.afterSales')} ${order.afterSales.length}`,
      children: <OrderAfterSalesPane order={order} />,
    },
    promotions: {
      label: `${t('workspace.tabs.promotions')} ${order.promotions.length}`,
      children: <OrderPromotionsPane promotions={order.promotions} />,
    },
    history: { label: t('workspace.tabs.history'), children: <OrderHistoryPane order={order} /> },
    otherOrders: {
      label: t('workspace.tabs.otherOrders'),
      children: preview ? null : <CustomerOtherOrders customerId={customer.id} orderId={order.id} />,
    },
  };
  return (
    <RevealScopeProvider key={order.id} orderId={order.id} visibility={order.visibility} preview={preview}>
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
          {order.cachedAt ? <CacheAgeTag cachedAt={order.cachedAt} /> : null}
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

        {preview ? (
          <div className="action-bar" data-testid="preview-action-bar">
            {layout.actions.map((action) => (
              <Button key={action} size="small" tabIndex={-1} data-testid={`preview-action-${action}`}>
                {t(`actions.names.${action}`)}
              </Button>
            ))}
          </div>
        ) : (
          <ActionBar order={order} offered={layout.actions} />
        )}
        <OrderRiskFlags flags={order.riskFlags ?? []} />

        <Tabs
          size="small"
          className="order-detail-tabs"
          activeKey={activePanel}
          onChange={(key) => setPicked({ key: openKey, panel: key as PanelId })}
          items={panels.map((panel) => ({
            key: panel,
            label: <span data-testid={`panel-tab-${panel}`}>{panelContent[panel].label}</span>,
            children: panelContent[panel].children,
          }))}
        />
      </article>
    </RevealScopeProvider>
  );
}

/**
 * The first tab: who, how they paid, where it goes, what they bought and where the parcel is,
 * with only the fields the role's view shows, in its order (groups in the order of their first field).
 */
function OrderOverview({ order, layout }: { order: VisibleOrder; layout: RoleViewLayout }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { customer, payment } = order;
  const field = (id: OverviewFieldId): { label: string; value: ReactNode } => {
    switch (id) {
      case 'customer.name':
        return {
          label: t('orderDetail.name'),
          value: (
            <ClassifiedValue field="customer.name" value={customer.name} label={t('orderDetail.name')} />
          ),
        };
      case 'customer.phone':
        return {
          label: t('orderDetail.phone'),
          value: (
            <ClassifiedValue field="customer.phone" value={customer.phone} label={t('orderDetail.phone')} />
          ),
        };
      case 'customer.email':
        return {
          label: t('orderDetail.email'),
          value: (
            <ClassifiedValue field="customer.email" value={customer.email} label={t('orderDetail.email')} />
          ),
        };
      case 'payment.method':
        return {
          label: t('orderDetail.method'),
          value: (
            <ClassifiedValue
              field="payment.method"
              value={payment.method}
              label={t('orderDetail.method')}
              display={(method) => paymentMethodLabel(method, t)}
            />
          ),
        };
      case 'payment.amount':
        return { label: t('orderDetail.amount'), value: format.money(payment.amount) };
      case 'payment.status':
        return { label: t('orderDetail.paymentStatus'), value: <PaymentStatusTag status={payment.status} /> };
      case 'payment.paidAt':
        return {
          label: t('orderDetail.paidAt'),
          value:
            payment.paidAt === null ? (
              t('orderDetail.notPaid')
            ) : (
              <ClassifiedValue
                field="payment.paidAt"
                value={payment.paidAt}
                label={t('orderDetail.paidAt')}
                display={(at) => format.dateTime(at)}
              />
            ),
        };
      case 'shippingFee':
        return { label: t('orderDetail.shippingFee'), value: format.money(order.shippingFee) };
      default:
        return { label: id, value: null };
    }
  };
  const section = ({ group, fields }: { group: OverviewGroup; fields: OverviewFieldId[] }) => {
    switch (group) {
      case 'customer':
        return (
          <DetailSection key={group} title={t('orderDetail.customer')}>
            <FieldList fields={fields.map(field)} />
          </DetailSection>
        );
      case 'payment':
        return (
          <DetailSection key={group} title={t('orderDetail.payment')}>
            <FieldList fields={fields.map(field)} />
          </DetailSection>
        );
      case 'address':
        return (
          <DetailSection key={group} title={t('orderDetail.shippingAddress')}>
            <PostalAddress address={order.shippingAddress} />
          </DetailSection>
        );
      default:
        return null;
    }
  };
  const groups = overviewGroups(layout);
  const facts = groups.filter(({ group }) => group !== 'items' && group !== 'shipments');
  return (
    <div className="order-overview" data-testid="order-overview">
      {facts.length > 0 ? <div className="order-detail-facts">{facts.map(section)}</div> : null}
      {groups.map(({ group }) =>
        group === 'items' ? (
          <DetailSection key={group} title={t('orderDetail.items')}>
            <OrderItemsTable items={order.items} />
          </DetailSection>
        ) : group === 'shipments' ? (
          <DetailSection key={group} title={t('orderDetail.shipments')}>
            <OrderShipments shipments={order.shipments} />
          </DetailSection>
        ) : null,
      )}
    </div>
  );
}

/** The address with each classified line as the role receives it; absent lines are left out. */
function PostalAddress({ address }: { address: VisibleAddress }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <address className="postal-address" data-testid="postal-address">
      <div>
        <ClassifiedValue field="shippingAddress.name" value={address.name} label={t('orderDetail.name')} /> ·{' '}
        <ClassifiedValue field="shippingAddress.phone" value={address.phone} label={t('orderDetail.phone')} />
      </div>
      {address.line1 === undefined ? null : (
        <div>
          <ClassifiedValue
            field="shippingAddress.line1"
            value={address.line1}
            label={t('orderDetail.shippingAddress')}
          />
        </div>
      )}
      {address.line2 ? (
        <div>
          <ClassifiedValue
            field="shippingAddress.line2"
            value={address.line2}
            label={t('orderDetail.shippingAddress')}
          />
        </div>
      ) : null}
      <div>
        {address.city}, {address.region}{' '}
        {address.postalCode === undefined ? null : (
          <ClassifiedValue
            field="shippingAddress.postalCode"
            value={address.postalCode}
            label={t('roleViews.postalCode')}
          />
        )}
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
