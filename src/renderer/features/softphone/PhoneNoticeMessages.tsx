import { App as AntApp } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { selectPhoneNotice, useSoftphoneStore } from '../../stores/softphone';

/** Shows the softphone's notices (device fell back, transfer failed) as short messages. */
export function PhoneNoticeMessages() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const notice = useSoftphoneStore(selectPhoneNotice);
  useEffect(() => {
    if (!notice) return;
    void message.warning({
      content: t(`softphone.notices.${notice.key}`, { detail: notice.detail }),
      key: `phone-notice-${notice.key}`,
    });
  }, [notice, message, t]);
  return null;
}
