import { LogoutOutlined } from '@ant-design/icons';
import { App as AntApp, Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskError } from '../../shared/errors';
import { selectApplySession, useSessionStore } from '../stores/session';
import { desk } from './desk';

export function SignOutButton() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const applySession = useSessionStore(selectApplySession);
  const [signingOut, setSigningOut] = useState(false);

  const signOut = async () => {
    setSigningOut(true);
    try {
      applySession(await desk.session.logout());
    } catch (err) {
      void message.error(t('topBar.signOutFailed', { reason: t(`errors.${DeskError.from(err).code}`) }));
      setSigningOut(false);
    }
  };

  return (
    <Button
      size="small"
      icon={<LogoutOutlined />}
      loading={signingOut}
      onClick={() => void signOut()}
      data-testid="logout"
    >
      {t('topBar.signOut')}
    </Button>
  );
}
