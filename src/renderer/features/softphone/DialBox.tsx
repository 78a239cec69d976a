import { PhoneOutlined } from '@ant-design/icons';
import { Button, Input, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { selectCurrentCall, selectPhoneLink, useSoftphoneStore } from '../../stores/softphone';
import { softphone } from './softphone';

const DIALABLE = /^[A-Za-z0-9._+*#-]{1,64}$/;

/** Dial out from the top bar while no call is going on. */
export function DialBox() {
  const { t } = useTranslation();
  const link = useSoftphoneStore(selectPhoneLink);
  const current = useSoftphoneStore(selectCurrentCall);
  const [target, setTarget] = useState('');
  if (current || link.state === 'unconfigured') return null;
  const valid = DIALABLE.test(target.trim()) && link.state === 'registered';
  const dial = () => {
    if (!valid) return;
    void softphone.dial(target.trim()).catch(() => useSoftphoneStore.getState().notify('callFailed'));
    setTarget('');
  };
  return (
    <Space.Compact size="small" className="dial-box">
      <Input
        size="small"
        value={target}
        onChange={(event) => setTarget(event.target.value)}
        onPressEnter={dial}
        placeholder={t('softphone.dialPlaceholder')}
        aria-label={t('softphone.dialPlaceholder')}
        spellCheck={false}
        data-testid="dial-target"
      />
      <Button
        size="small"
        icon={<PhoneOutlined />}
        disabled={!valid}
        onClick={dial}
        aria-label={t('softphone.call')}
        data-testid="dial-call"
      />
    </Space.Compact>
  );
}
