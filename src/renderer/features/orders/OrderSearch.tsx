import { SearchOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Alert, Button, Empty, Input, Spin, type InputRef } from 'antd';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SEARCH_TEXT_MAX } from '../../../shared/protocol';
import { searchShortcutKeys } from '../../app/shortcuts';
import {
  selectHasMoreResults,
  selectLoadMore,
  selectLoadingMore,
  selectOpenOrder,
  selectQuery,
  selectResults,
  selectResultsCurrent,
  selectResultsSource,
  selectSearch,
  selectSearchError,
  selectSearchIfChanged,
  selectSearchLoading,
  selectSearchedText,
  selectSelectedId,
  selectSetQuery,
  useOrdersStore,
} from '../../stores/orders';
import { OrderResultRow } from './OrderResultRow';
import { SearchSourceNote } from './SearchSourceNote';
import { SearchFilters } from './SearchFilters';
import { onSearchFocusRequest } from './searchFocus';

/** Pause in typing after which the search runs by itself. */
const SEARCH_AS_YOU_TYPE_DELAY_MS = 250;

const rowDomId = (listId: string, index: number) => `${listId}-row-${index}`;

/** A result row's height (two dense lines); rows are measured, this is the first guess. */
const ROW_HEIGHT_ESTIMATE = 52;
/** Rows rendered beyond the visible ones, so keyboard walking and fast scrolls never show gaps. */
const ROW_OVERSCAN = 12;

/**
 * One search box over all orders, keyboard first: Ctrl/Cmd+K focuses it, typing searches,
 * Enter searches at once, arrow keys walk the results and Enter opens the highlighted one.
 */
export function OrderSearch() {
  const { t } = useTranslation();
  const query = useOrdersStore(selectQuery);
  const searchedText = useOrdersStore(selectSearchedText);
  const results = useOrdersStore(selectResults);
  const resultsSource = useOrdersStore(selectResultsSource);
  const resultsCurrent = useOrdersStore(selectResultsCurrent);
  const hasMore = useOrdersStore(selectHasMoreResults);
  const loadingMore = useOrdersStore(selectLoadingMore);
  const loadMore = useOrdersStore(selectLoadMore);
  const loading = useOrdersStore(selectSearchLoading);
  const error = useOrdersStore(selectSearchError);
  const selectedId = useOrdersStore(selectSelectedId);
  const setQuery = useOrdersStore(selectSetQuery);
  const search = useOrdersStore(selectSearch);
  const searchIfChanged = useOrdersStore(selectSearchIfChanged);
  const open = useOrdersStore(selectOpenOrder);

  const inputRef = useRef<InputRef>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const listId = useId();
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders the list on scroll itself; nothing memoized depends on it.
  const virtualizer = useVirtualizer({
    count: results.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT_ESTIMATE,
    overscan: ROW_OVERSCAN,
    getItemKey: (index) => results[index]?.id ?? index,
  });

  // The highlight follows an order, so it stays put when the gateway's rows replace the cached ones.
  const [highlightedId, setHighlightedId] = useState<string | null>(null);
  const highlighted = highlightedId === null ? -1 : results.findIndex((row) => row.id === highlightedId);

  useEffect(() => onSearchFocusRequest(() => inputRef.current?.focus({ cursor: 'all' })), []);

  useEffect(() => {
    const timer = setTimeout(() => void searchIfChanged(query), SEARCH_AS_YOU_TYPE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query, searchIfChanged]);

  useEffect(() => {
    if (highlighted >= 0) virtualizer.scrollToIndex(highlighted, { align: 'auto' });
  }, [highlighted, virtualizer]);

  const openRow = (index: number) => {
    const row = results[index];
    if (!row) return;
    setHighlightedId(row.id);
    void open(row.id);
  };

  // Results still on screen may belong to older text (the search-as-you-type pause, or an answer
  // in flight): keys must not pick a row from them. Cached rows of the current text may be picked.
  const resultsAreCurrent = resultsCurrent && searchedText === query.trim();

  const moveHighlight = (step: 1 | -1) => {
    if (!resultsAreCurrent) {
      void searchIfChanged(query);
      return;
    }
    if (results.length === 0) return;
    const from = highlighted < 0 ? (step === 1 ? -1 : results.length) : highlighted;
    setHighlightedId(results[Math.min(results.length - 1, Math.max(0, from + step))]!.id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    // Enter also confirms a word in Chinese input methods: that must not search yet.
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      moveHighlight(event.key === 'ArrowDown' ? 1 : -1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (resultsAreCurrent && highlighted >= 0) openRow(highlighted);
      else void search(query);
    }
  };

  const showEmpty = !loading && !error && searchedText !== null && results.length === 0;
  // With cached rows on screen a failed gateway search is a note above them, not an error instead.
  const showingCached = resultsSource === 'cache' && resultsCurrent && results.length > 0;

  return (
    <div className="order-search">
      <div className="order-search-box">
        <Input
          ref={inputRef}
          value={query}
          onChange={(event) => {
            // Typing makes the highlighted row stale: Enter should search the new text, not open it.
            setHighlightedId(null);
            setQuery(event.target.value);
          }}
          onKeyDown={onKeyDown}
          maxLength={SEARCH_TEXT_MAX}
          placeholder={t('orderSearch.placeholder')}
          prefix={<SearchOutlined />}
          suffix={loading ? <Spin size="small" /> : undefined}
          allowClear
          spellCheck={false}
          role="combobox"
          aria-label={t('orderSearch.label')}
          aria-keyshortcuts={searchShortcutKeys}
          aria-controls={listId}
          aria-expanded={results.length > 0}
          aria-activedescendant={highlighted >= 0 ? rowDomId(listId, highlighted) : undefined}
          data-testid="order-search-input"
        />
      </div>
      <SearchFilters />
      {showingCached && (
        <SearchSourceNote loading={loading} error={error} onRetry={() => void search(query)} />
      )}
      {error && !showingCached && (
        <Alert
          type="error"
          showIcon
          className="order-search-error"
          data-testid="order-search-error"
          title={t('orderSearch.failed', { reason: t(`errors.${error.code}`) })}
          action={
            <Button size="small" onClick={() => void search(query)}>
              {t('orderSearch.retry')}
            </Button>
          }
        />
      )}
      {showEmpty && (
        <div className="order-search-empty" data-testid="order-search-empty">
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={
              searchedText ? t('orderSearch.noMatch', { text: searchedText }) : t('orderSearch.noOrders')
            }
          />
        </div>
      )}
      <div
        id={listId}
        ref={listRef}
        role="listbox"
        tabIndex={-1}
        className="order-search-results"
        aria-label={t('orderSearch.results')}
        aria-activedescendant={highlighted >= 0 ? rowDomId(listId, highlighted) : undefined}
        onKeyDown={onKeyDown}
        data-testid="order-search-results"
      >
        <div className="order-search-results-sizer" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => {
            const order = results[row.index]!;
            return (
              <div
                key={row.key}
                data-index={row.index}
                ref={virtualizer.measureElement}
                className="order-search-results-item"
                style={{ transform: `translateY(${row.start}px)` }}
              >
                <OrderResultRow
                  id={rowDomId(listId, row.index)}
                  order={order}
                  highlighted={row.index === highlighted}
                  selected={order.id === selectedId}
                  cached={resultsSource === 'cache'}
                  onOpen={() => openRow(row.index)}
                />
              </div>
            );
          })}
        </div>
      </div>
      {hasMore && resultsCurrent && !loading && (
        <div className="order-search-more">
          <Button
            size="small"
            type="link"
            loading={loadingMore}
            onClick={() => void loadMore()}
            data-testid="order-search-more"
          >
            {t('orderSearch.loadMore')}
          </Button>
        </div>
      )}
    </div>
  );
}
