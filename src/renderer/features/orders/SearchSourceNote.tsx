import { DatabaseOutlined } from '@ant-design/icons';
import { Button, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ErrorInfo } from '../../../shared/errors';

interface SearchSourceNoteProps {
  /** The gateway is still answering. */
  loading: boolean;
  /** The gateway's search failed. */
  error: ErrorInfo | null;
  onRetry: () => void;
}

/**
 * One quiet line above cached search rows: that they come from this computer, and whether the
 * gateway is still answering or could not.
 */
export function SearchSourceNote({ loading, error, onRetry }: SearchSourceNoteProps) {
  const { t } = useTranslation();
  const state = loading ? 'checking' : error ? 'failed' : 'unreachable';
  return (
    <div
      className={`order-search-source order-search-source-${state}`}
      role="status"
      data-testid="order-search-source"
      data-state={state}
    >
      {loading ? <Spin size="small" /> : <DatabaseOutlined />}
      <span className="order-search-source-text">
        {state === 'checking' && t('orderSearch.cachedChecking')}
        {state === 'failed' && t('orderSearch.cachedFailed', { reason: t(`errors.${error!.code}`) })}
        {state === 'unreachable' && t('orderSearch.cachedUnreachable')}
      </span>
      {!loading && (
        <Button size="small" type="link" onClick={onRetry} data-testid="order-search-source-retry">
          {t('orderSearch.retry')}
        </Button>
      )}
    </div>
  );
}
