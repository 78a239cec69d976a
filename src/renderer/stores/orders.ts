import { create } from 'zustand';
import type { VisibleOrder, VisibleOrderSummary } from '../../shared/visibility';
import type { OrderStatus, Platform } from '../../shared/domain';
import { DeskError, type ErrorInfo } from '../../shared/errors';
import type { CacheAge } from '../../shared/offline';
import { desk } from '../app/desk';

/** The search filters, kept with the query (ABNORMAL-SEARCH). Empty lists: no filter. */
export interface SearchFilters {
  statuses: OrderStatus[];
  platforms: Platform[];
  /** Created within, both ends inclusive (ISO); null: any time. */
  created: { from: string; to: string } | null;
}

export const NO_SEARCH_FILTERS: SearchFilters = { statuses: [], platforms: [], created: null };

interface OrdersState {
  /** What the agent has typed in the search box. */
  query: string;
  filters: SearchFilters;
  /** The filters of the latest search sent. */
  searchedFilters: SearchFilters | null;
  /** The text of the latest search sent; null before the first one. */
  searchedText: string | null;
  results: VisibleOrderSummary[];
  loading: boolean;
  error: ErrorInfo | null;
  selectedId: string | null;
  /** `cachedAt` set: read from the local cache while the gateway was unreachable. */
  selectedOrder: (VisibleOrder & CacheAge) | null;
  detailError: ErrorInfo | null;
}

interface OrdersStore extends OrdersState {
  setQuery(text: string): void;
  /** Changes the filters and searches the current text with them. */
  setFilters(filters: SearchFilters): void;
  /** Searches now, even if the same text was searched before (Enter, retry). */
  search(text: string): Promise<void>;
  /** Searches unless this text was already searched (search-as-you-type). */
  searchIfChanged(text: string): Promise<void>;
  /** Opens an order in the detail pane. */
  open(id: string): Promise<void>;
  /** Shows an order already fetched (screen pop, an action's result) without asking again. */
  show(order: VisibleOrder): void;
  /** A newer version of an order arrived (event stream): the pane and the list follow it. */
  applyChange(order: VisibleOrder): void;
  /** Forgets everything: customer data must not outlive the session. */
  reset(): void;
}

const initialState: OrdersState = {
  query: '',
  filters: NO_SEARCH_FILTERS,
  searchedFilters: null,
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
    const { filters } = get();
    set({ searchedText: trimmed, searchedFilters: filters, loading: true, error: null });
    try {
      const result = await desk.orders.search({ text: trimmed, ...filterQuery(filters) });
      if (request === latestSearch) set({ results: result.items, loading: false });
    } catch (err) {
      if (request === latestSearch) set({ results: [], loading: false, error: DeskError.from(err).toInfo() });
    }
  };

  return {
    ...initialState,
    setQuery: (text) => set({ query: text }),
    setFilters: (filters) => {
      set({ filters });
      void search(get().query);
    },
    search,
    searchIfChanged: async (text) => {
      const { searchedText, filters, searchedFilters } = get();
      if (text.trim() !== searchedText || filters !== searchedFilters) await search(text);
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

/** The filters as search parameters: absent when not set. */
function filterQuery({ statuses, platforms, created }: SearchFilters) {
  return {
    ...(statuses.length > 0 ? { statuses } : {}),
    ...(platforms.length > 0 ? { platforms } : {}),
    ...(created ? { createdFrom: created.from, createdTo: created.to } : {}),
  };
}

export const selectQuery = (state: OrdersStore) => state.query;
export const selectSearchFilters = (state: OrdersStore) => state.filters;
export const selectSetSearchFilters = (state: OrdersStore) => state.setFilters;
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
