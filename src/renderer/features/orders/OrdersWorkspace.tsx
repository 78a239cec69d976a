import { useEffect } from 'react';
import { selectResetOrders, selectSearch, useOrdersStore } from '../../stores/orders';
import { OrderDetailPane } from './OrderDetailPane';
import { OrderSearch } from './OrderSearch';

/** Search results on the left, the chosen order on the right. */
export function OrdersWorkspace() {
  const search = useOrdersStore(selectSearch);
  const reset = useOrdersStore(selectResetOrders);

  useEffect(() => {
    // An empty search lists the newest orders, so the list is useful before anything is typed.
    void search('');
    // Customer data must not outlive the workspace (sign out unmounts it).
    return reset;
  }, [search, reset]);

  return (
    <div className="orders-workspace">
      <section className="orders-search-column">
        <OrderSearch />
      </section>
      <section className="orders-detail-column">
        <OrderDetailPane />
      </section>
    </div>
  );
}
