import { create } from 'zustand';
import type { CachedOrderSummary } from '../../shared/offline';
import type { VisibleOrder } from '../../shared/visibility';
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

export type SearchSource = 'gateway' | 'cache';

interface OrdersState {
  /** What the agent has typed in the search box. */
  query: string;
  filters: SearchFilters;
  /** The filters of the latest search sent. */
  searchedFilters: SearchFilters | null;
  /** The text of the latest search sent; null before the first one. */
  searchedText: string | null;
  results: CachedOrderSummary[];
  /**
   * Where the rows on screen come from: 'cache' while the gateway has not answered yet (or could
   * not), 'gateway' once its rows replaced them.
   */
  resultsSource: SearchSource;
  /** The rows on screen answer the latest search sent (not older text still on screen). */
  resultsCurrent: boolean;
  /** Where the next page comes from (the source's own keyset cursor); null: no more. */
  nextCursor: string | null;
  /** The gateway is answering the latest search. */
  loading: boolean;
  loadingMore: boolean;
  /** The gateway's search failed; cached rows, if any, stay on screen. */
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
  /** Appends the next page of the rows on screen, from where they came from. */
  loadMore(): Promise<void>;
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
  resultsSource: 'gateway',
  resultsCurrent: false,
  nextCursor: null,
  loading: false,
  loadingMore: false,
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

  /**
   * Cache first, then the gateway: both are asked at once; the cache's rows show as soon as they
   * come, and the gateway's rows replace them when it answers (the gateway is the truth online).
   * Their orders are merged by id only when paging, not interleaved: the two sources page by
   * different keys (the gateway's and this computer's write order), so no shared order exists.
   */
  const search = async (text: string) => {
    const request = ++latestSearch;
    const trimmed = text.trim();
    const { filters } = get();
    const query = { text: trimmed, ...filterQuery(filters) };
    set({
      searchedText: trimmed,
      searchedFilters: filters,
      resultsCurrent: false,
      loading: true,
      loadingMore: false,
      error: null,
    });
    let gatewayAnswered = false;
    const fromCache = desk.orders.searchCached(query).then(
      (page) => {
        // No cached match keeps the older rows (marked not current) rather than blanking the list.
        if (request !== latestSearch || gatewayAnswered || page.items.length === 0) return;
        set({
          results: page.items,
          resultsSource: 'cache',
          resultsCurrent: true,
          nextCursor: page.nextCursor,
        });
      },
      // The cache is a convenience: its failure leaves the gateway's answer to come.
      () => undefined,
    );
    try {
      const page = await desk.orders.search(query);
      gatewayAnswered = true;
      if (request !== latestSearch) return;
      set({
        results: page.items,
        resultsSource: page.fromCache ? 'cache' : 'gateway',
        resultsCurrent: true,
        nextCursor: page.nextCursor,
        loading: false,
      });
    } catch (err) {
      const error = DeskError.from(err).toInfo();
      // The cache may still be answering: its rows are better than nothing.
      await fromCache;
      gatewayAnswered = true;
      if (request !== latestSearch) return;
      const showingCached = get().resultsCurrent && get().resultsSource === 'cache';
      set(
        showingCached ? { loading: false, error } : { results: [], nextCursor: null, loading: false, error },
      );
    }
  };

  const loadMore = async () => {
    const { nextCursor, loading, loadingMore, resultsSource, searchedText, searchedFilters } = get();
    if (!nextCursor || loading || loadingMore || searchedText === null) return;
    const request = latestSearch;
    set({ loadingMore: true });
    const query = {
      text: searchedText,
      ...filterQuery(searchedFilters ?? NO_SEARCH_FILTERS),
      cursor: nextCursor,
    };
    try {
      // A cursor only means something to the source that gave it.
      const page =
        resultsSource === 'cache' ? await desk.orders.searchCached(query) : await desk.orders.search(query);
      if (request !== latestSearch) return;
      set({
        results: appendPage(get().results, page.items),
        nextCursor: page.nextCursor,
        loadingMore: false,
      });
    } catch (err) {
      if (request === latestSearch) set({ loadingMore: false, error: DeskError.from(err).toInfo() });
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
    loadMore,
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

/**
 * The next page after the rows on screen. An order already listed (it moved while the agent
 * paged) is updated where it is, the newer page's version winning, and not listed twice.
 */
function appendPage(rows: CachedOrderSummary[], page: CachedOrderSummary[]): CachedOrderSummary[] {
  const fresh = new Map(page.map((row) => [row.id, row]));
  const updated = rows.map((row) => fresh.get(row.id) ?? row);
  const listed = new Set(rows.map((row) => row.id));
  return [...updated, ...page.filter((row) => !listed.has(row.id))];
}

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
export const selectResultsSource = (state: OrdersStore) => state.resultsSource;
export const selectResultsCurrent = (state: OrdersStore) => state.resultsCurrent;
export const selectHasMoreResults = (state: OrdersStore) => state.nextCursor !== null;
export const selectLoadingMore = (state: OrdersStore) => state.loadingMore;
export const selectLoadMore = (state: OrdersStore) => state.loadMore;
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
