import { Button, DatePicker, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ORDER_STATUSES, PLATFORMS, type OrderStatus, type Platform } from '../../../shared/domain';
import { useLanguage } from '../../i18n/useLanguage';
import {
  NO_SEARCH_FILTERS,
  selectSearchFilters,
  selectSetSearchFilters,
  useOrdersStore,
} from '../../stores/orders';
import './search-filters.css';

type Range = [Dayjs, Dayjs];

/** Today, or the last n days including today, as whole days. */
function lastDays(days: number): Range {
  const today = dayjs();
  return [today.subtract(days - 1, 'day').startOf('day'), today.endOf('day')];
}

/**
 * The search filters under the search box: created date range (with presets), statuses and
 * platforms. Compact, reachable with Tab, and kept with the query in the orders store.
 */
export function SearchFilters() {
  const { t } = useTranslation();
  const language = useLanguage();
  const filters = useOrdersStore(selectSearchFilters);
  const setFilters = useOrdersStore(selectSetSearchFilters);

  // The picker's month and weekday names come from dayjs's global locale.
  useEffect(() => {
    dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  }, [language]);

  const range: Range | null = filters.created
    ? [dayjs(filters.created.from), dayjs(filters.created.to)]
    : null;
  const active =
    filters !== NO_SEARCH_FILTERS &&
    (filters.statuses.length > 0 || filters.platforms.length > 0 || filters.created !== null);

  return (
    <div
      className="search-filters"
      role="group"
      aria-label={t('searchFilters.label')}
      data-testid="search-filters"
    >
      <div className="search-filters-line">
        <DatePicker.RangePicker
          className="search-filters-range"
          value={range}
          allowEmpty={[false, false]}
          placeholder={[t('searchFilters.createdFrom'), t('searchFilters.createdTo')]}
          aria-label={t('searchFilters.created')}
          presets={[
            { label: t('searchFilters.presets.today'), value: lastDays(1) },
            { label: t('searchFilters.presets.last7'), value: lastDays(7) },
            { label: t('searchFilters.presets.last30'), value: lastDays(30) },
          ]}
          onChange={(dates) => {
            const [from, to] = dates ?? [];
            setFilters({
              ...filters,
              created:
                from && to
                  ? { from: from.startOf('day').toISOString(), to: to.endOf('day').toISOString() }
                  : null,
            });
          }}
          data-testid="search-filter-created"
        />
        {active ? (
          <Button
            type="link"
            onClick={() => setFilters(NO_SEARCH_FILTERS)}
            data-testid="search-filters-clear"
          >
            {t('searchFilters.clear')}
          </Button>
        ) : null}
      </div>
      <div className="search-filters-line">
        <Select<OrderStatus[]>
          mode="multiple"
          allowClear
          maxTagCount="responsive"
          className="search-filters-select search-filters-status"
          placeholder={t('searchFilters.statuses')}
          aria-label={t('searchFilters.statuses')}
          value={filters.statuses}
          maxTagPlaceholder={(omitted) => (
            <span title={omitted.map((option) => option.label).join(', ')}>+{omitted.length}</span>
          )}
          onChange={(statuses) => setFilters({ ...filters, statuses })}
          options={ORDER_STATUSES.map((status) => ({ value: status, label: t(`orderStatus.${status}`) }))}
          data-testid="search-filter-status"
        />
        <Select<Platform[]>
          mode="multiple"
          allowClear
          maxTagCount="responsive"
          className="search-filters-select"
          placeholder={t('searchFilters.platforms')}
          aria-label={t('searchFilters.platforms')}
          value={filters.platforms}
          onChange={(platforms) => setFilters({ ...filters, platforms })}
          options={PLATFORMS.map((platform) => ({ value: platform, label: t(`platform.${platform}`) }))}
          data-testid="search-filter-platform"
        />
      </div>
    </div>
  );
}
