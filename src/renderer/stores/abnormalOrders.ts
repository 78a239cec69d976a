import { create } from 'zustand';
import type { AbnormalOrderItem, AbnormalOrdersPage, AbnormalType } from '../../shared/abnormal';
import type { Platform } from '../../shared/domain';
import { DeskError, type ErrorInfo } from '../../shared/errors';
import { desk } from '../app/desk';

export interface AbnormalFilters {
  /** null: every type, each order once. */
  type: AbnormalType | null;
  platforms: Platform[];
  /** null: any age. */
  minAgeDays: number | null;
  order: 'oldest' | 'newest';
}

interface AbnormalOrdersState {
  filters: AbnormalFilters;
  items: AbnormalOrderItem[];
  counts: AbnormalOrdersPage['counts'];
  total: number;
  nextCursor: string | null;
  /** The first page is on its way (filters changed, refresh). */
  loading: boolean;
  loadingMore: boolean;
  error: ErrorInfo | null;
  /** A page has arrived since the view opened. */
  loaded: boolean;
}

interface AbnormalOrdersStore extends AbnormalOrdersState {
  setFilters(patch: Partial<AbnormalFilters>): Promise<void>;
  /** Reloads as many rows as are on screen (orders changed), keeping the filters. */
  refresh(): Promise<void>;
  loadMore(): Promise<void>;
  reset(): void;
}

export const ABNORMAL_PAGE_SIZE = 100;
/** The gateway's page limit: a refresh re-reads at most this many rows. */
const MAX_REFRESH_ROWS = 200;

const initialState: AbnormalOrdersState = {
  filters: { type: null, platforms: [], minAgeDays: null, order: 'oldest' },
  items: [],
  counts: {},
  total: 0,
  nextCursor: null,
  loading: false,
  loadingMore: false,
  error: null,
  loaded: false,
};

function toQuery(filters: AbnormalFilters, limit: number, cursor?: string) {
  return {
    ...(filters.type ? { type: filters.type } : {}),
    ...(filters.platforms.length > 0 ? { platforms: filters.platforms } : {}),
    ...(filters.minAgeDays ? { minAgeDays: filters.minAgeDays } : {}),
    order: filters.order,
    limit,
    ...(cursor ? { cursor } : {}),
  };
}

/** The abnormal-orders queue: filters, the rows loaded so far and the counts per type. */
export const useAbnormalOrdersStore = create<AbnormalOrdersStore>()((set, get) => {
  // Only the latest request lands: filters change faster than answers arrive.
  let latest = 0;

  const loadFirst = async (limit: number) => {
    const request = ++latest;
    set({ loading: true, error: null });
    try {
      const page = await desk.orders.abnormal(toQuery(get().filters, limit));
      if (request !== latest) return;
      set({
        items: page.items,
        counts: page.counts,
        total: page.total,
        nextCursor: page.nextCursor,
        loading: false,
        loaded: true,
      });
    } catch (err) {
      if (request === latest) set({ loading: false, error: DeskError.from(err).toInfo() });
    }
  };

  return {
    ...initialState,
    setFilters: async (patch) => {
      set({ filters: { ...get().filters, ...patch } });
      await loadFirst(ABNORMAL_PAGE_SIZE);
    },
    refresh: () => loadFirst(Math.min(MAX_REFRESH_ROWS, Math.max(ABNORMAL_PAGE_SIZE, get().items.length))),
    loadMore: async () => {
      const { nextCursor, loading, loadingMore, filters } = get();
      if (!nextCursor || loading || loadingMore) return;
      const request = latest;
      set({ loadingMore: true });
      try {
        const page = await desk.orders.abnormal(toQuery(filters, ABNORMAL_PAGE_SIZE, nextCursor));
        if (request !== latest) return;
        const seen = new Set(get().items.map((item) => `${item.order.id}:${item.type}`));
        const fresh = page.items.filter((item) => !seen.has(`${item.order.id}:${item.type}`));
        set({
          items: [...get().items, ...fresh],
          counts: page.counts,
          total: page.total,
          nextCursor: page.nextCursor,
        });
      } catch (err) {
        if (request === latest) set({ error: DeskError.from(err).toInfo() });
      } finally {
        set({ loadingMore: false });
      }
    },
    reset: () => {
      latest++;
      set(initialState);
    },
  };
});

export const selectAbnormalFilters = (state: AbnormalOrdersStore) => state.filters;
export const selectAbnormalItems = (state: AbnormalOrdersStore) => state.items;
export const selectAbnormalCounts = (state: AbnormalOrdersStore) => state.counts;
export const selectAbnormalTotal = (state: AbnormalOrdersStore) => state.total;
export const selectAbnormalLoading = (state: AbnormalOrdersStore) => state.loading;
export const selectAbnormalLoadingMore = (state: AbnormalOrdersStore) => state.loadingMore;
export const selectAbnormalError = (state: AbnormalOrdersStore) => state.error;
export const selectAbnormalLoaded = (state: AbnormalOrdersStore) => state.loaded;
export const selectAbnormalHasMore = (state: AbnormalOrdersStore) => state.nextCursor !== null;
export const selectSetAbnormalFilters = (state: AbnormalOrdersStore) => state.setFilters;
export const selectRefreshAbnormal = (state: AbnormalOrdersStore) => state.refresh;
export const selectLoadMoreAbnormal = (state: AbnormalOrdersStore) => state.loadMore;
export const selectResetAbnormal = (state: AbnormalOrdersStore) => state.reset;
