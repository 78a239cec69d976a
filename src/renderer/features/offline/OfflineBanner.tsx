import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/useFormat';
import { selectQueuedCount, useOfflineStore } from '../../stores/offline';
import { selectConnection, useSessionStore } from '../../stores/session';

/**
 * While the gateway is unreachable: since when, that orders come from this computer's cache
 * and that changes wait in a queue (how many), to be sent when it is back.
 */
export function OfflineBanner() {
  const { t } = useTranslation();
  const format = useFormat();
  const connection = useSessionStore(selectConnection);
  const queued = useOfflineStore(selectQueuedCount);
  // Reconnecting after a loss counts as offline too: no flicker between tries.
  const offline =
    connection.status === 'offline' || (connection.status === 'connecting' && connection.reason !== null);
  if (!offline) return null;
  return (
    <Alert
      banner
      type="warning"
      className="offline-banner"
      data-testid="offline-banner"
      title={
        <span>
          <strong>{t('offline.bannerTitle', { time: format.time(connection.since) })}</strong>{' '}
          {t('offline.bannerBody')}{' '}
          <span data-testid="offline-queued">{t('offline.queued', { count: queued })}</span>
        </span>
      }
    />
  );
}
