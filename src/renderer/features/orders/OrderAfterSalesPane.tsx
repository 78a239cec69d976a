import { Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { VisibleOrder } from '../../../shared/visibility';
import { refundedAmount } from '../../../shared/rules/order-facts';
import { useFormat } from '../../i18n/useFormat';
import { FieldList } from './DetailSection';

/** Returns, exchanges and refunds: each case, its RMA and return parcel, and how much is refunded. */
export function OrderAfterSalesPane({ order }: { order: VisibleOrder }) {
  const { t } = useTranslation();
  const format = useFormat();
  const paid = order.payment.amount;
  const refunded = { amount: refundedAmount(order), currency: paid.currency };
  const percent = paid.amount > 0 ? Math.round((refunded.amount / paid.amount) * 100) : 0;
  return (
    <div className="after-sales-pane">
      <div className="refund-progress" data-testid="refund-progress">
        <span>{t('workspace.refundProgress')}</span>
        <Progress percent={percent} size="small" showInfo={false} />
        <span>
          {t('workspace.refundedOf', { refunded: format.money(refunded), paid: format.money(paid) })}
        </span>
      </div>
      {order.afterSales.length === 0 ? (
        <Typography.Text type="secondary">{t('workspace.noCases')}</Typography.Text>
      ) : (
        <ul className="case-list">
          {order.afterSales.map((entry) => (
            <li key={entry.id} className="case" data-testid="after-sales-case" data-status={entry.status}>
              <div className="case-head">
                <strong>{t(`afterSalesKind.${entry.kind}`)}</strong>
                <span className={`case-status case-status-${entry.status}`}>
                  {t(`afterSalesStatus.${entry.status}`)}
                </span>
                {entry.amount ? <span className="case-amount">{format.money(entry.amount)}</span> : null}
                <span className="case-time">{format.dateTime(entry.createdAt)}</span>
              </div>
              <FieldList
                fields={[
                  { label: t('actions.reason'), value: entry.reason },
                  ...(entry.rma ? [{ label: t('workspace.rma'), value: entry.rma }] : []),
                  ...(entry.returnTrackingNumber
                    ? [
                        {
                          label: t('workspace.returnTracking'),
                          value: (
                            <Typography.Text copyable={{ text: entry.returnTrackingNumber }}>
                              {entry.returnTrackingNumber}
                            </Typography.Text>
                          ),
                        },
                      ]
                    : []),
                  ...(entry.items?.length
                    ? [
                        {
                          label: t('orderDetail.items'),
                          value: entry.items.map((item) => `${item.sku} × ${item.qty}`).join(', '),
                        },
                      ]
                    : []),
                ]}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
