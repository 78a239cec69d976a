import type { RankedOrder } from '../../../shared/screen-pop/rank';
import { useFormat } from '../../i18n/useFormat';
import { useReasonText } from '../../i18n/useReasonText';
import { PlatformBadge } from '../orders/PlatformBadge';
import { OrderStatusTag } from '../orders/StatusTag';

/** One ranked order: number, status, total and why screen pop put it here. */
export function PopOrderCard({
  ranked,
  selected = false,
  onOpen,
  testId = 'pop-order-card',
}: {
  ranked: RankedOrder;
  selected?: boolean;
  onOpen?: () => void;
  testId?: string;
}) {
  const format = useFormat();
  const reasonText = useReasonText();
  const { order, reasons } = ranked;
  const content = (
    <>
      <div className="pop-order-line">
        <span className="pop-order-number">{order.displayNumber}</span>
        <PlatformBadge platform={order.platform} />
        <OrderStatusTag status={order.status} />
        <span className="pop-order-total">{format.money(order.payment.amount)}</span>
      </div>
      <ul className="pop-order-reasons">
        {reasons.map((reason) => (
          <li key={reason.code} data-code={reason.code}>
            {reasonText(reason)}
          </li>
        ))}
      </ul>
    </>
  );
  const className = selected ? 'pop-order-card pop-order-card-selected' : 'pop-order-card';
  return onOpen ? (
    <button
      type="button"
      className={className}
      onClick={onOpen}
      data-testid={testId}
      data-order-id={order.id}
    >
      {content}
    </button>
  ) : (
    <div className={className} data-testid={testId} data-order-id={order.id}>
      {content}
    </div>
  );
}
