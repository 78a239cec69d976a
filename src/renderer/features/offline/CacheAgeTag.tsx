import { ClockCircleOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/useFormat';
import { cacheAge } from './cache-age';

/** "Cached 12 min ago" on an order read from this computer's cache: visible, not alarming. */
export function CacheAgeTag({ cachedAt }: { cachedAt: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const age = cacheAge(cachedAt, now);
  return (
    <Tooltip title={t('offline.cachedAtTooltip', { time: format.dateTime(cachedAt) })}>
      <Tag
        icon={<ClockCircleOutlined />}
        color="gold"
        variant="outlined"
        className="cache-age-tag"
        data-testid="order-cache-age"
        tabIndex={0}
      >
        {t(`offline.cachedAgo.${age.unit}`, { count: age.count })}
      </Tag>
    </Tooltip>
  );
}
