import { theme, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ConnectionStatus } from '../../shared/contract';
import { useFormat } from '../i18n/useFormat';
import { selectConnection, useSessionStore } from '../stores/session';

/** The data connection as a coloured dot and words (colour alone is not enough for everyone). */
export function ConnectionStatusIndicator() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const format = useFormat();
  const connection = useSessionStore(selectConnection);

  const dotColor: Record<ConnectionStatus, string> = {
    online: token.colorSuccess,
    connecting: token.colorWarning,
    offline: token.colorError,
    signed_out: token.colorTextQuaternary,
  };
  const label =
    connection.status === 'offline' && connection.reason
      ? t('connection.offlineBecause', { reason: t(`errors.${connection.reason.code}`) })
      : t(`connection.status.${connection.status}`);

  return (
    <Tooltip title={t('connection.since', { time: format.time(connection.since) })}>
      <span
        className="connection-status"
        role="status"
        data-testid="connection-status"
        data-status={connection.status}
      >
        <span className="connection-dot" style={{ background: dotColor[connection.status] }} aria-hidden />
        {label}
      </span>
    </Tooltip>
  );
}
