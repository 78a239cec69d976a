import type { AbnormalOrderItem } from '../../../shared/abnormal';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/useFormat';
import { PlatformBadge } from '../orders/PlatformBadge';
import { OrderStatusTag } from '../orders/StatusTag';
import { AbnormalTypeTag, useAgeText } from './abnormal-type';

interface AbnormalRowProps {
  id: string;
  item: AbnormalOrderItem;
  highlighted: boolean;
  /** Offset in the virtual list. */
  top: number;
  /** The clock the ages are counted to (ticks each minute). */
  nowMs: number;
  onOpen: () => void;
}

/** One dense line: order, abnormality, since when, customer, amount, status. */
export function AbnormalRow({ id, item, highlighted, top, nowMs, onOpen }: AbnormalRowProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const ageText = useAgeText();
  const { order } = item;
  const others = item.abnormalities.filter((abnormality) => abnormality.type !== item.type);
  const customer = [order.customerName, order.customerPhone].filter(Boolean).join(' · ') || '—';
  return (
    <div
      id={id}
      role="row"
      className={highlighted ? 'abnormal-row abnormal-row-highlighted' : 'abnormal-row'}
      style={{ transform: `translateY(${top}px)` }}
      onClick={onOpen}
      data-testid="abnormal-row"
      data-order-id={order.id}
      data-abnormal-type={item.type}
    >
      <span role="cell" className="abnormal-cell abnormal-cell-order">
        <span className="abnormal-number">{order.displayNumber}</span>
        <PlatformBadge platform={order.platform} />
      </span>
      <span role="cell" className="abnormal-cell abnormal-cell-type">
        <AbnormalTypeTag type={item.type} />
        {others.length > 0 ? (
          <span
            className="abnormal-more"
            title={t('abnormal.alsoFlagged', {
              types: others.map((other) => t(`abnormal.typeNames.${other.type}`)).join(', '),
            })}
          >
            +{others.length}
          </span>
        ) : null}
      </span>
      <span role="cell" className="abnormal-cell abnormal-cell-since" title={format.dateTime(item.since)}>
        {t('abnormal.sinceAgo', { age: ageText(item.since, nowMs) })}
      </span>
      <span role="cell" className="abnormal-cell abnormal-cell-customer">
        {customer}
      </span>
      <span role="cell" className="abnormal-cell abnormal-cell-amount">
        {format.money(order.total)}
      </span>
      <span role="cell" className="abnormal-cell abnormal-cell-status">
        <OrderStatusTag status={order.status} />
      </span>
    </div>
  );
}
