import { useEffect } from 'react';
import { desk } from '../../app/desk';
import { selectApplyOrderChange, selectResetOrders, selectSearch, useOrdersStore } from '../../stores/orders';
import { CallerCard } from '../screen-pop/CallerCard';
import { OrderDetailPane } from './OrderDetailPane';
import { OrderSearch } from './OrderSearch';

/** The caller and search results on the left, the chosen order on the right. */
export function OrdersWorkspace() {
  const search = useOrdersStore(selectSearch);
  const reset = useOrdersStore(selectResetOrders);
  const applyChange = useOrdersStore(selectApplyOrderChange);

  // Every desk sees every change as it happens: the open order and the list follow the gateway.
  useEffect(() => desk.on('order.changed', ({ order }) => applyChange(order)), [applyChange]);

  useEffect(() => {
    // An empty search lists the newest orders, so the list is useful before anything is typed.
    void search('');
    // Customer data must not outlive the workspace (sign out unmounts it).
    return reset;
  }, [search, reset]);

  return (
    <div className="orders-workspace">
      <section className="orders-search-column">
        <CallerCard />
        <OrderSearch />
      </section>
      <section className="orders-detail-column">
        <OrderDetailPane />
      </section>
    </div>
  );
}
