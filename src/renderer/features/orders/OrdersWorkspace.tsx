import { useEffect } from 'react';
import { desk } from '../../app/desk';
import { selectApplyOrderChange, selectResetOrders, selectSearch, useOrdersStore } from '../../stores/orders';
import { selectCobrowseShowing, selectCobrowsing, useCobrowseStore } from '../../stores/cobrowse';
import { CobrowseChip } from '../cobrowse/CobrowseChip';
import { CobrowsePanel } from '../cobrowse/CobrowsePanel';
import { CallerCard } from '../screen-pop/CallerCard';
import { OrderDetailPane } from './OrderDetailPane';
import { OrderSearch } from './OrderSearch';

/**
 * The caller and search results on the left, the chosen order on the right. While co-browsing,
 * the customer's page takes the left and most of the width (the search is a click away).
 */
export function OrdersWorkspace() {
  const search = useOrdersStore(selectSearch);
  const reset = useOrdersStore(selectResetOrders);
  const applyChange = useOrdersStore(selectApplyOrderChange);
  const cobrowsing = useCobrowseStore(selectCobrowsing);
  const replayShown = useCobrowseStore(selectCobrowseShowing) === 'replay' && cobrowsing;

  // Every desk sees every change as it happens: the open order and the list follow the gateway.
  useEffect(() => desk.on('order.changed', ({ order }) => applyChange(order)), [applyChange]);

  useEffect(() => {
    // An empty search lists the newest orders, so the list is useful before anything is typed.
    void search('');
    // Customer data must not outlive the workspace (sign out unmounts it).
    return reset;
  }, [search, reset]);

  return (
    <div className={replayShown ? 'orders-workspace orders-workspace-cobrowse' : 'orders-workspace'}>
      {/* Kept mounted while the search is shown: the replay goes on behind it. */}
      {cobrowsing ? (
        <section className="cobrowse-column" hidden={!replayShown}>
          <CobrowsePanel />
        </section>
      ) : null}
      <section className="orders-search-column" hidden={replayShown}>
        <CobrowseChip />
        <CallerCard />
        <OrderSearch />
      </section>
      <section className="orders-detail-column">
        <OrderDetailPane />
      </section>
    </div>
  );
}
