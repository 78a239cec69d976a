import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import '../i18n/i18n';
import { LoginScreen } from '../features/login/LoginScreen';
import { selectUser, useSessionStore } from '../stores/session';
import { DeskConfigProvider } from './DeskConfigProvider';
import { Shell } from './Shell';
import { useDeskBootstrap } from './useDeskBootstrap';

/** The whole renderer: Login when signed out, the Shell when signed in. */
export function App() {
  return (
    <DeskConfigProvider>
      <DeskScreens />
    </DeskConfigProvider>
  );
}

function DeskScreens() {
  const { t } = useTranslation();
  const { boot, retry } = useDeskBootstrap();
  const user = useSessionStore(selectUser);

  if (boot.phase === 'starting') {
    return (
      <div className="desk-centered">
        <Spin size="large" description={t('app.starting')} />
      </div>
    );
  }
  if (boot.phase === 'failed') {
    return (
      <div className="desk-centered">
        <Result
          status="error"
          title={t('app.startFailed')}
          subTitle={t(`errors.${boot.error.code}`)}
          extra={
            <Button type="primary" onClick={retry}>
              {t('app.retry')}
            </Button>
          }
        />
      </div>
    );
  }
  return user ? <Shell user={user} /> : <LoginScreen />;
}
