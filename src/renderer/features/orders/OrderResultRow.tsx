import { DatabaseOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CachedOrderSummary } from '../../../shared/offline';
import { cacheAge } from '../offline/cache-age';
import { useFormat } from '../../i18n/useFormat';
import { PlatformBadge } from './PlatformBadge';
import { OrderStatusTag } from './StatusTag';

interface OrderResultRowProps {
  order: CachedOrderSummary;
  /** DOM id, so the search box can point at the highlighted row (aria-activedescendant). */
  id: string;
  /** Where the arrow keys are. */
  highlighted: boolean;
  /** Open in the detail pane. */
  selected: boolean;
  /** Read from this computer's cache: the gateway has not confirmed it (yet). Its age is shown. */
  cached: boolean;
  onOpen: () => void;
}

/** Two dense lines: what the order is and whose it is. */
export function OrderResultRow({ order, id, highlighted, selected, cached, onOpen }: OrderResultRowProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const classes = ['order-row', highlighted && 'order-row-highlighted', selected && 'order-row-selected'];
  return (
    <div
      id={id}
      role="option"
      aria-selected={selected}
      className={classes.filter(Boolean).join(' ')}
      data-testid="order-result-row"
      data-order-id={order.id}
      data-cached={cached}
      onClick={onOpen}
    >
      <div className="order-row-line">
        <span className="order-row-number">{order.displayNumber}</span>
        <PlatformBadge platform={order.platform} />
        <OrderStatusTag status={order.status} />
        <span className="order-row-total">{format.money(order.total)}</span>
      </div>
      <div className="order-row-line order-row-secondary">
        <span className="order-row-customer">
          {order.customerName} · {order.customerPhone}
        </span>
        {cached && (
          <span
            className="order-row-cached"
            data-testid="order-row-cached"
            title={
              order.cachedAt
                ? t('offline.cachedAtTooltip', { time: format.dateTime(order.cachedAt) })
                : undefined
            }
          >
            <DatabaseOutlined /> {cachedLabel(order, t)}
          </span>
        )}
        <span className="order-row-date">{format.dateTime(order.createdAt)}</span>
      </div>
    </div>
  );
}

/** "Cached 3h" when the row says when; rendered with the row, so as fresh as the list. */
function cachedLabel(order: CachedOrderSummary, t: TFunction): string {
  if (!order.cachedAt) return t('orderSearch.cachedRow');
  const age = cacheAge(order.cachedAt, new Date());
  return t(`orderSearch.cachedRowAge.${age.unit}`, { count: age.count });
}
