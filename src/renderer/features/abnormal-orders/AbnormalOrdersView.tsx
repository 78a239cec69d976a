import { ReloadOutlined } from '@ant-design/icons';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Alert, Button, Empty, Segmented, Select, Spin, Tooltip } from 'antd';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AbnormalOrderItem } from '../../../shared/abnormal';
import { PLATFORMS, type Platform } from '../../../shared/domain';
import { desk } from '../../app/desk';
import {
  type AbnormalFilters,
  selectAbnormalError,
  selectAbnormalFilters,
  selectAbnormalHasMore,
  selectAbnormalItems,
  selectAbnormalLoading,
  selectAbnormalLoadingMore,
  selectAbnormalTotal,
  selectLoadMoreAbnormal,
  selectRefreshAbnormal,
  selectResetAbnormal,
  selectSetAbnormalFilters,
  useAbnormalOrdersStore,
} from '../../stores/abnormalOrders';
import { AbnormalRow } from './AbnormalRow';
import { AbnormalTypeList } from './AbnormalTypeList';
import { HandlingSteps } from './HandlingSteps';
import './abnormal-orders.css';

const ROW_HEIGHT = 36;
const ROW_OVERSCAN = 12;
/** Changes come in bursts (the simulator, a webhook batch): one refresh per burst. */
const REFRESH_DEBOUNCE_MS = 800;
/** Ask for the next page when this few rows are left below the visible ones. */
const LOAD_MORE_THRESHOLD = 20;
const AGE_OPTIONS = [1, 3, 7] as const;
/** Ages are shown to the minute. */
const CLOCK_TICK_MS = 60_000;

const rowDomId = (listId: string, index: number) => `${listId}-row-${index}`;

/**
 * The abnormal-orders queue: types with counts and the handling steps on the left, the orders
 * in a dense virtualized table on the right. Enter or a click opens the order in the workspace.
 */
export function AbnormalOrdersView({ onOpenOrder }: { onOpenOrder: (orderId: string) => void }) {
  const { t } = useTranslation();
  const filters = useAbnormalOrdersStore(selectAbnormalFilters);
  const items = useAbnormalOrdersStore(selectAbnormalItems);
  const total = useAbnormalOrdersStore(selectAbnormalTotal);
  const loading = useAbnormalOrdersStore(selectAbnormalLoading);
  const loadingMore = useAbnormalOrdersStore(selectAbnormalLoadingMore);
  const hasMore = useAbnormalOrdersStore(selectAbnormalHasMore);
  const error = useAbnormalOrdersStore(selectAbnormalError);
  const setFilters = useAbnormalOrdersStore(selectSetAbnormalFilters);
  const refresh = useAbnormalOrdersStore(selectRefreshAbnormal);
  const loadMore = useAbnormalOrdersStore(selectLoadMoreAbnormal);
  const reset = useAbnormalOrdersStore(selectResetAbnormal);

  const listRef = useRef<HTMLDivElement>(null);
  const listId = useId();
  const [highlight, setHighlight] = useState<{ items: AbnormalOrderItem[]; index: number }>({
    items,
    index: -1,
  });
  const highlighted = highlight.items === items ? highlight.index : -1;
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), CLOCK_TICK_MS);
    return () => clearInterval(timer);
  }, []);

  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer re-renders the list on scroll itself; nothing memoized depends on it.
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: ROW_OVERSCAN,
    getItemKey: (index) => (items[index] ? `${items[index].order.id}:${items[index].type}` : index),
  });

  useEffect(() => {
    void refresh();
    // Customer data must not outlive the view.
    return reset;
  }, [refresh, reset]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = desk.on('order.changed', () => {
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), REFRESH_DEBOUNCE_MS);
    });
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [refresh]);

  const virtualItems = virtualizer.getVirtualItems();
  const lastVisible = virtualItems.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasMore && lastVisible >= items.length - LOAD_MORE_THRESHOLD) void loadMore();
  }, [hasMore, lastVisible, items.length, loadMore]);

  useEffect(() => {
    if (highlighted >= 0) virtualizer.scrollToIndex(highlighted, { align: 'auto' });
  }, [highlighted, virtualizer]);

  const openRow = (index: number) => {
    const item = items[index];
    if (!item) return;
    setHighlight({ items, index });
    onOpenOrder(item.order.id);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (items.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      const from = highlighted < 0 ? (step === 1 ? -1 : items.length) : highlighted;
      setHighlight({ items, index: Math.min(items.length - 1, Math.max(0, from + step)) });
    } else if (event.key === 'Enter' && highlighted >= 0) {
      event.preventDefault();
      openRow(highlighted);
    }
  };

  return (
    <div className="abnormal-view" data-testid="abnormal-view">
      <aside className="abnormal-side">
        <h2 className="abnormal-title">
          {t('abnormal.title')}
          <span className="abnormal-total" data-testid="abnormal-total">
            {t('abnormal.total', { count: total })}
          </span>
        </h2>
        <AbnormalTypeList selected={filters.type} onSelect={(type) => void setFilters({ type })} />
        <HandlingSteps type={filters.type} />
      </aside>
      <section className="abnormal-main">
        <div className="abnormal-toolbar" role="toolbar" aria-label={t('searchFilters.label')}>
          <Select<Platform[]>
            mode="multiple"
            size="small"
            allowClear
            maxTagCount="responsive"
            className="abnormal-platforms"
            placeholder={t('abnormal.platforms')}
            aria-label={t('searchFilters.platforms')}
            value={filters.platforms}
            onChange={(platforms) => void setFilters({ platforms })}
            options={PLATFORMS.map((platform) => ({ value: platform, label: t(`platform.${platform}`) }))}
            data-testid="abnormal-platform-filter"
          />
          <Select<number>
            size="small"
            className="abnormal-age"
            aria-label={t('abnormal.age.label')}
            value={filters.minAgeDays ?? 0}
            onChange={(days) => void setFilters({ minAgeDays: days === 0 ? null : days })}
            options={[
              { value: 0, label: t('abnormal.age.any') },
              ...AGE_OPTIONS.map((days) => ({ value: days, label: t('abnormal.age.days', { count: days }) })),
            ]}
            data-testid="abnormal-age-filter"
          />
          <Segmented<AbnormalFilters['order']>
            size="small"
            value={filters.order}
            onChange={(order) => void setFilters({ order })}
            options={[
              { value: 'oldest', label: t('abnormal.sort.oldest') },
              { value: 'newest', label: t('abnormal.sort.newest') },
            ]}
          />
          <span className="abnormal-toolbar-spacer" />
          {loading ? <Spin size="small" /> : null}
          <Tooltip title={t('abnormal.refresh')}>
            <Button
              size="small"
              type="text"
              icon={<ReloadOutlined />}
              aria-label={t('abnormal.refresh')}
              onClick={() => void refresh()}
            />
          </Tooltip>
        </div>
        {error ? (
          <Alert
            type="error"
            showIcon
            className="abnormal-error"
            data-testid="abnormal-error"
            title={t('abnormal.failed', { reason: t(`errors.${error.code}`) })}
            action={
              <Button size="small" onClick={() => void refresh()}>
                {t('abnormal.retry')}
              </Button>
            }
          />
        ) : null}
        <div
          className="abnormal-table"
          role="table"
          aria-label={t('abnormal.title')}
          aria-rowcount={items.length + 1}
        >
          <div className="abnormal-row abnormal-header" role="row">
            {(['order', 'type', 'since', 'customer', 'amount', 'status'] as const).map((column) => (
              <span key={column} role="columnheader" className={`abnormal-cell abnormal-cell-${column}`}>
                {t(`abnormal.columns.${column}`)}
              </span>
            ))}
          </div>
          <div
            id={listId}
            ref={listRef}
            className="abnormal-rows"
            role="rowgroup"
            tabIndex={0}
            aria-activedescendant={highlighted >= 0 ? rowDomId(listId, highlighted) : undefined}
            onKeyDown={onKeyDown}
            data-testid="abnormal-rows"
          >
            {!loading && !error && items.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('abnormal.empty')} />
            ) : null}
            <div className="abnormal-rows-sizer" style={{ height: virtualizer.getTotalSize() }}>
              {virtualItems.map((row) => (
                <AbnormalRow
                  key={row.key}
                  id={rowDomId(listId, row.index)}
                  item={items[row.index]!}
                  highlighted={row.index === highlighted}
                  top={row.start}
                  nowMs={nowMs}
                  onOpen={() => openRow(row.index)}
                />
              ))}
            </div>
            {loadingMore ? <div className="abnormal-loading-more">{t('abnormal.loadingMore')}</div> : null}
          </div>
        </div>
      </section>
    </div>
  );
}
