import { theme, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { PhoneLinkState } from '../../../shared/desktop';
import { useFormat } from '../../i18n/useFormat';
import { selectPhoneLink, useSoftphoneStore } from '../../stores/softphone';

/** The phone's registration as a dot and words, beside the data connection's. */
export function PhoneStatusIndicator() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const format = useFormat();
  const link = useSoftphoneStore(selectPhoneLink);
  const colour: Record<PhoneLinkState, string> = {
    registered: token.colorSuccess,
    connecting: token.colorWarning,
    offline: token.colorError,
    unconfigured: token.colorTextQuaternary,
  };
  return (
    <Tooltip title={t('connection.since', { time: format.time(link.since) })}>
      <span className="connection-status" role="status" data-testid="phone-status" data-status={link.state}>
        <span className="connection-dot" style={{ background: colour[link.state] }} aria-hidden />
        {t(`softphone.link.${link.state}`)}
      </span>
    </Tooltip>
  );
}
