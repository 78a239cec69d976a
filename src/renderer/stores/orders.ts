import { create } from 'zustand';
import type { Order, OrderSummary } from '../../shared/domain';
import { DeskError, type ErrorInfo } from '../../shared/errors';
import { desk } from '../app/desk';

interface OrdersState {
  /** What the agent has typed in the search box. */
  query: string;
  /** The text of the latest search sent; null before the first one. */
  searchedText: string | null;
  results: OrderSummary[];
  loading: boolean;
  error: ErrorInfo | null;
  selectedId: string | null;
  selectedOrder: Order | null;
  detailError: ErrorInfo | null;
}

interface OrdersStore extends OrdersState {
  setQuery(text: string): void;
  /** Searches now, even if the same text was searched before (Enter, retry). */
  search(text: string): Promise<void>;
  /** Searches unless this text was already searched (search-as-you-type). */
  searchIfChanged(text: string): Promise<void>;
  /** Opens an order in the detail pane. */
  open(id: string): Promise<void>;
  /** Shows an order already fetched (screen pop, an action's result) without asking again. */
  show(order: Order): void;
  /** A newer version of an order arrived (event stream): the pane and the list follow it. */
  applyChange(order: Order): void;
  /** Forgets everything: customer data must not outlive the session. */
  reset(): void;
}

const initialState: OrdersState = {
  query: '',
  searchedText: null,
  results: [],
  loading: false,
  error: null,
  selectedId: null,
  selectedOrder: null,
  detailError: null,
};

/** Order search and the order open in the detail pane. */
export const useOrdersStore = create<OrdersStore>()((set, get) => {
  // Answers can arrive out of order; only the latest request of each kind may land.
  let latestSearch = 0;
  let latestDetail = 0;

  const search = async (text: string) => {
    const request = ++latestSearch;
    const trimmed = text.trim();
    set({ searchedText: trimmed, loading: true, error: null });
    try {
      const result = await desk.orders.search({ text: trimmed });
      if (request === latestSearch) set({ results: result.items, loading: false });
    } catch (err) {
      if (request === latestSearch) set({ results: [], loading: false, error: DeskError.from(err).toInfo() });
    }
  };

  return {
    ...initialState,
    setQuery: (text) => set({ query: text }),
    search,
    searchIfChanged: async (text) => {
      if (text.trim() !== get().searchedText) await search(text);
    },
    open: async (id) => {
      const request = ++latestDetail;
      set({ selectedId: id, detailError: null });
      try {
        const order = await desk.orders.get({ id });
        if (request === latestDetail) set({ selectedOrder: order });
      } catch (err) {
        if (request === latestDetail) {
          set({ selectedOrder: null, detailError: DeskError.from(err).toInfo() });
        }
      }
    },
    show: (order) => {
      latestDetail++;
      set({ selectedId: order.id, selectedOrder: order, detailError: null });
    },
    applyChange: (order) => {
      const { selectedOrder, results } = get();
      // Events and answers race: an older version must never replace a newer one.
      if (selectedOrder?.id === order.id && order.version > selectedOrder.version) {
        set({ selectedOrder: order });
      }
      if (results.some((row) => row.id === order.id)) {
        set({
          results: results.map((row) =>
            row.id === order.id ? { ...row, status: order.status, total: order.payment.amount } : row,
          ),
        });
      }
    },
    reset: () => {
      latestSearch++;
      latestDetail++;
      set(initialState);
    },
  };
});

export const selectQuery = (state: OrdersStore) => state.query;
export const selectSearchedText = (state: OrdersStore) => state.searchedText;
export const selectResults = (state: OrdersStore) => state.results;
export const selectSearchLoading = (state: OrdersStore) => state.loading;
export const selectSearchError = (state: OrdersStore) => state.error;
export const selectSelectedId = (state: OrdersStore) => state.selectedId;
export const selectSelectedOrder = (state: OrdersStore) => state.selectedOrder;
export const selectDetailError = (state: OrdersStore) => state.detailError;
export const selectSetQuery = (state: OrdersStore) => state.setQuery;
export const selectSearch = (state: OrdersStore) => state.search;
export const selectSearchIfChanged = (state: OrdersStore) => state.searchIfChanged;
export const selectOpenOrder = (state: OrdersStore) => state.open;
export const selectResetOrders = (state: OrdersStore) => state.reset;
export const selectShowOrder = (state: OrdersStore) => state.show;
export const selectApplyOrderChange = (state: OrdersStore) => state.applyChange;
