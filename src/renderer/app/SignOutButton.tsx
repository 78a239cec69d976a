import { LogoutOutlined } from '@ant-design/icons';
import { App as AntApp, Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskError } from '../../shared/errors';
import { useOfflineStore } from '../stores/offline';
import { selectApplySession, useSessionStore } from '../stores/session';
import { desk } from './desk';

export function SignOutButton() {
  const { t } = useTranslation();
  const { message, modal } = AntApp.useApp();
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

  /** Unsent or unreviewed offline work lives only on this computer: never delete it unasked. */
  const confirmSignOut = () => {
    const { queued, tasks } = useOfflineStore.getState();
    if (queued === 0 && tasks.length === 0) {
      void signOut();
      return;
    }
    modal.confirm({
      title: t('topBar.unsentTitle'),
      content: t('topBar.unsentBody', { queued, tasks: tasks.length }),
      okText: t('topBar.unsentSignOut'),
      okButtonProps: { danger: true },
      cancelText: t('topBar.unsentStay'),
      // Staying is the safe default: Enter keeps the work.
      autoFocusButton: 'cancel',
      onOk: () => signOut(),
    });
  };

  return (
    <Button
      size="small"
      icon={<LogoutOutlined />}
      loading={signingOut}
      onClick={confirmSignOut}
      data-testid="logout"
    >
      {t('topBar.signOut')}
    </Button>
  );
}
