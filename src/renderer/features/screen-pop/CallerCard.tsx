import { Alert, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { selectScreenPop, useScreenPopStore } from '../../stores/screenPop';
import { selectSelectedId, selectShowOrder, useOrdersStore } from '../../stores/orders';
import { PopOrderCard } from './PopOrderCard';

/** The caller of the latest call and their orders, ranked with the reasons (workspace, left). */
export function CallerCard() {
  const { t } = useTranslation();
  const pop = useScreenPopStore(selectScreenPop);
  const selectedId = useOrdersStore(selectSelectedId);
  const show = useOrdersStore(selectShowOrder);
  if (!pop) return null;

  if (pop.status === 'identifying') {
    return (
      <section className="caller-card" data-testid="caller-card" data-state="identifying">
        <Spin size="small" /> <span>{t('screenPop.identifying')}</span>
      </section>
    );
  }
  if (pop.status === 'failed') {
    return (
      <Alert
        type="warning"
        showIcon
        className="caller-card"
        data-testid="caller-card"
        title={t('screenPop.failed', { reason: t(`errors.${pop.error?.code ?? 'INTERNAL'}`) })}
      />
    );
  }
  const identity = pop.identity!;
  if (identity.kind === 'unknown') {
    return (
      <section className="caller-card" data-testid="caller-card" data-state="unknown">
        <div className="caller-card-name">{pop.remoteNumber}</div>
        <div className="caller-card-hint">{t('screenPop.unknownCaller')}</div>
      </section>
    );
  }
  return (
    <section className="caller-card" data-testid="caller-card" data-state="known">
      <div className="caller-card-head">
        <span className="caller-card-label">{t('screenPop.caller')}</span>
        <span className="caller-card-name" data-testid="caller-name">
          {identity.customer.name}
        </span>
        <span className="caller-card-phone">{identity.customer.phone}</span>
        <span className="caller-card-count">{t('screenPop.orders', { count: identity.ranked.length })}</span>
      </div>
      <div className="caller-card-orders" aria-label={t('screenPop.likelyOrders')}>
        {identity.ranked.map((ranked) => (
          <PopOrderCard
            key={ranked.order.id}
            ranked={ranked}
            selected={ranked.order.id === selectedId}
            onOpen={() => show(ranked.order)}
            testId="caller-order"
          />
        ))}
      </div>
    </section>
  );
}
