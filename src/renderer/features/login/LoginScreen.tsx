import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoginArgs, SessionState } from '../../../shared/contract';
import { DeskError, type ErrorInfo } from '../../../shared/errors';
import { desk } from '../../app/desk';
import { LanguageSwitch } from '../../app/LanguageSwitch';
import { selectApplySession, selectConnection, useSessionStore } from '../../stores/session';
import { selectApplySettings, selectSettings, useSettingsStore } from '../../stores/settings';
import { webSocketUrlProblem } from '../../../shared/transport';

type SignInKind = 'password' | 'demo';

/** Gateway address, user name and password; or one click into the demo when the host runs one. */
export function LoginScreen() {
  const { t } = useTranslation();
  const settings = useSettingsStore(selectSettings);
  const applySettings = useSettingsStore(selectApplySettings);
  const [form] = Form.useForm<LoginArgs>();
  const applySession = useSessionStore(selectApplySession);
  const [pending, setPending] = useState<SignInKind | null>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const connection = useSessionStore(selectConnection);
  // After too many wrong passwords the gateway says how long to wait: counted down here.
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const waitSeconds = waitUntil === null ? 0 : Math.max(0, Math.ceil((waitUntil - now) / 1000));
  const waiting = waitSeconds > 0;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waiting]);
  // Main signs the agent out when the gateway stops accepting the session: say why.
  const shownError =
    error?.code === 'RATE_LIMITED'
      ? waiting
        ? t('login.tooManyAttempts', { count: waitSeconds })
        : null
      : error
        ? t(`errors.${error.code}`)
        : connection.status === 'signed_out' && connection.reason
          ? t(`errors.${connection.reason.code}`)
          : null;

  useEffect(() => {
    // Signing in may have saved another gateway address since startup: offer the latest one,
    // unless the agent has started typing there.
    desk.settings.get().then(
      (latest) => {
        applySettings(latest);
        if (!form.isFieldTouched('gatewayUrl')) form.setFieldValue('gatewayUrl', latest.gatewayUrl);
      },
      () => undefined, // The address from startup is a fine fallback.
    );
  }, [applySettings, form]);

  const signIn = async (kind: SignInKind, call: () => Promise<SessionState>) => {
    if (pending) return; // Enter in a field submits again while the first attempt runs.
    setPending(kind);
    setError(null);
    try {
      // On success the session store swaps this screen for the shell.
      applySession(await call());
    } catch (err) {
      const info = DeskError.from(err).toInfo();
      const retryAfterMs = info.code === 'RATE_LIMITED' ? info.details?.retryAfterMs : undefined;
      const failedAt = Date.now();
      setNow(failedAt);
      setWaitUntil(retryAfterMs === undefined ? null : failedAt + retryAfterMs);
      setError(info);
      setPending(null);
    }
  };

  return (
    <div className="login-screen">
      <div className="login-language">
        <LanguageSwitch />
      </div>
      <Card className="login-card" title={t('login.title')}>
        <Form<LoginArgs>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ gatewayUrl: settings?.gatewayUrl ?? '', username: '', password: '' }}
          onFinish={(values) => void signIn('password', () => desk.session.login(values))}
        >
          <Form.Item
            name="gatewayUrl"
            label={t('login.gatewayUrl')}
            rules={[
              { required: true, whitespace: true, message: t('login.gatewayUrlRequired') },
              {
                validator: (_rule, value: string) => {
                  const problem = value?.trim() ? webSocketUrlProblem(value) : null;
                  if (problem === null) return Promise.resolve();
                  // The same rule main applies at sign-in (INSECURE_TRANSPORT), said before asking.
                  return Promise.reject(
                    new Error(
                      t(problem === 'insecure' ? 'errors.INSECURE_TRANSPORT' : 'login.gatewayUrlInvalid'),
                    ),
                  );
                },
              },
            ]}
          >
            <Input spellCheck={false} autoComplete="url" data-testid="login-gateway-url" />
          </Form.Item>
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}
          >
            <Input
              prefix={<UserOutlined />}
              autoFocus
              autoComplete="username"
              spellCheck={false}
              data-testid="login-username"
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          {shownError && (
            <Alert
              type="error"
              showIcon
              className="login-error"
              title={shownError}
              data-testid="login-error"
            />
          )}
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={pending === 'password'}
            disabled={pending === 'demo' || waiting}
            data-testid="login-submit"
          >
            {t('login.submit')}
          </Button>
          {settings?.demoGatewayUrl && (
            <Button
              block
              className="login-demo"
              title={t('login.demoHint')}
              loading={pending === 'demo'}
              disabled={pending === 'password'}
              onClick={() => void signIn('demo', () => desk.session.loginDemo())}
              data-testid="login-demo"
            >
              {t('login.demo')}
            </Button>
          )}
        </Form>
      </Card>
    </div>
  );
}
