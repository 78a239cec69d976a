import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/useFormat';
import { selectPhoneLink, useSoftphoneStore } from '../../stores/softphone';
import { isRetried, offlineReasonKey } from './phone-offline-reason';

/** Says plainly that calls cannot come in, why, and that the desk keeps trying. */
export function PhoneOfflineBanner() {
  const { t } = useTranslation();
  const format = useFormat();
  const link = useSoftphoneStore(selectPhoneLink);
  // Also while reconnecting after a loss (connecting with a reason): no flicker between tries.
  if (link.state !== 'offline' && !(link.state === 'connecting' && link.reason)) return null;
  const reasonKey = offlineReasonKey(link.reason);
  const code = reasonKey === 'rejected' ? (link.reason ?? '').slice('rejected_'.length) : '';
  // A refused sign-in or address is not retried: the agent has to fix the settings.
  return (
    <Alert
      banner
      type="error"
      className="phone-offline-banner"
      data-testid="phone-offline-banner"
      title={t(isRetried(link.reason) ? 'softphone.offlineBanner' : 'softphone.offlineBannerRejected', {
        reason: t(`softphone.offlineReason.${reasonKey}`, { code }),
        time: format.time(link.since),
      })}
    />
  );
}
