import { App as AntApp, Alert, Button, Form, Input, InputNumber, Select, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskError, type ErrorCode } from '../../../shared/errors';
import {
  Accelerator,
  CODECS,
  HOTKEY_ACTIONS,
  REJECT_CODE_NAMES,
  REJECT_CODES,
  SipServerUrl,
  type PhoneSettingsPatch,
  type PhoneSettingsView,
} from '../../../shared/phone-settings';
import { webSocketUrlProblem } from '../../../shared/transport';
import { desk } from '../../app/desk';
import { softphone } from '../softphone/softphone';
import { DeviceSelect } from './DeviceSelect';
import { formatIceServers, parseIceServers } from './ice-servers-text';

interface SettingsForm {
  serverUrl: string;
  domain: string;
  extension: string;
  authUsername: string;
  displayName: string;
  password: string;
  iceServers: string;
  preferredCodec: PhoneSettingsView['sip']['preferredCodec'];
  acwSeconds: number;
  rejectCode: number;
  answer: string;
  hangUp: string;
  mute: string;
  microphoneId: string | null;
  speakerId: string | null;
  ringerId: string | null;
}

const SIP_TOKEN = /^[A-Za-z0-9._~+-]*$/;

const toForm = (settings: PhoneSettingsView): SettingsForm => ({
  ...settings.sip,
  password: '',
  iceServers: formatIceServers(settings.sip.iceServers),
  ...settings.callHandling,
  ...settings.hotkeys,
  ...settings.devices,
});

const toPatch = (values: SettingsForm, passwordTouched: boolean): PhoneSettingsPatch => ({
  sip: {
    serverUrl: values.serverUrl.trim(),
    domain: values.domain.trim(),
    extension: values.extension.trim(),
    authUsername: values.authUsername.trim(),
    displayName: values.displayName.trim(),
    iceServers: parseIceServers(values.iceServers) ?? [],
    preferredCodec: values.preferredCodec,
  },
  callHandling: { acwSeconds: values.acwSeconds, rejectCode: values.rejectCode as 486 | 480 | 603 },
  hotkeys: { answer: values.answer.trim(), hangUp: values.hangUp.trim(), mute: values.mute.trim() },
  devices: { microphoneId: values.microphoneId, speakerId: values.speakerId, ringerId: values.ringerId },
  // An untouched password field keeps the stored password; an emptied one forgets it.
  ...(passwordTouched ? { password: values.password === '' ? null : values.password } : {}),
});

/** Phone, call handling, hotkeys and audio devices: validated here and again by main. */
export function SettingsScreen() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<SettingsForm>();
  const [settings, setSettings] = useState<PhoneSettingsView | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    desk.phone.settings().then(setSettings, (err) => setError(DeskError.from(err).code));
  }, []);

  if (!settings) {
    return error ? (
      <Alert className="pane-alert" type="error" title={t(`errors.${error}`)} />
    ) : (
      <div className="pane-centered">
        <Spin />
      </div>
    );
  }

  const save = async (values: SettingsForm) => {
    setSaving(true);
    setError(null);
    try {
      const passwordTouched = form.isFieldTouched('password');
      const saved = await desk.phone.configure(toPatch(values, passwordTouched));
      const sipChanged = passwordTouched || JSON.stringify(saved.sip) !== JSON.stringify(settings.sip);
      setSettings(saved);
      form.resetFields(['password']);
      void message.success(t('settings.saved'));
      await softphone.settingsSaved(saved, sipChanged);
    } catch (err) {
      setError(DeskError.from(err).code);
    } finally {
      setSaving(false);
    }
  };

  const required = { required: true, whitespace: true, message: t('settings.required') };
  const sipToken = {
    pattern: SIP_TOKEN,
    message: t('settings.sipTokenInvalid'),
  };
  const accelerator = {
    validator: (_rule: unknown, value: string) =>
      Accelerator.safeParse(value).success
        ? Promise.resolve()
        : Promise.reject(new Error(t('settings.hotkeyInvalid'))),
  };

  return (
    <div className="settings-screen" data-testid="settings-screen">
      <Form<SettingsForm>
        form={form}
        layout="vertical"
        size="small"
        requiredMark={false}
        initialValues={toForm(settings)}
        onFinish={(values) => void save(values)}
        className="settings-form"
      >
        <section className="settings-section">
          <h2>{t('settings.phone')}</h2>
          <Form.Item
            name="serverUrl"
            label={t('settings.serverUrl')}
            rules={[
              required,
              {
                validator: (_rule, value: string) => {
                  if (!SipServerUrl.safeParse(value).success) {
                    return Promise.reject(new Error(t('settings.serverUrlInvalid')));
                  }
                  // The rule main applies when saving (INSECURE_TRANSPORT), said at the field.
                  return webSocketUrlProblem(value) === 'insecure'
                    ? Promise.reject(new Error(t('errors.INSECURE_TRANSPORT')))
                    : Promise.resolve();
                },
              },
            ]}
          >
            <Input
              placeholder="wss://pbx.example.com:8089/ws"
              spellCheck={false}
              data-testid="settings-server-url"
            />
          </Form.Item>
          <div className="settings-row">
            <Form.Item name="extension" label={t('settings.extension')} rules={[required, sipToken]}>
              <Input spellCheck={false} data-testid="settings-extension" />
            </Form.Item>
            <Form.Item name="domain" label={t('settings.domain')} rules={[required, sipToken]}>
              <Input spellCheck={false} placeholder="pbx.example.com" data-testid="settings-domain" />
            </Form.Item>
          </div>
          <div className="settings-row">
            <Form.Item name="authUsername" label={t('settings.authUsername')} rules={[sipToken]}>
              <Input spellCheck={false} placeholder={t('settings.authUsernameHint')} />
            </Form.Item>
            <Form.Item name="password" label={t('settings.password')}>
              <Input.Password
                autoComplete="new-password"
                placeholder={settings.hasPassword ? t('settings.passwordKept') : ''}
                data-testid="settings-password"
              />
            </Form.Item>
          </div>
          <Form.Item name="displayName" label={t('settings.displayName')}>
            <Input maxLength={64} />
          </Form.Item>
          <Form.Item
            name="iceServers"
            label={t('settings.iceServers')}
            extra={t('settings.iceServersHint')}
            rules={[
              {
                validator: (_rule, value: string) =>
                  parseIceServers(value)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('settings.iceServersInvalid'))),
              },
            ]}
          >
            <Input.TextArea rows={2} spellCheck={false} data-testid="settings-ice-servers" />
          </Form.Item>
          <Form.Item name="preferredCodec" label={t('settings.codec')}>
            <Select options={CODECS.map((codec) => ({ value: codec, label: codec }))} />
          </Form.Item>
        </section>

        <section className="settings-section">
          <h2>{t('settings.callHandling')}</h2>
          <div className="settings-row">
            <Form.Item
              name="acwSeconds"
              label={t('settings.acwSeconds')}
              extra={t('settings.acwSecondsHint')}
            >
              <InputNumber min={0} max={3600} step={5} data-testid="settings-acw-seconds" />
            </Form.Item>
            <Form.Item
              name="rejectCode"
              label={t('settings.rejectCode')}
              extra={t('settings.rejectCodeHint')}
            >
              <Select
                options={REJECT_CODES.map((code) => ({
                  value: code,
                  label: t(`settings.rejectCodes.${REJECT_CODE_NAMES[code]}`),
                }))}
                data-testid="settings-reject-code"
              />
            </Form.Item>
          </div>
          <h2>{t('settings.hotkeys')}</h2>
          <div className="settings-hotkeys">
            {HOTKEY_ACTIONS.map((action) => (
              <Form.Item
                key={action}
                name={action}
                label={t(`settings.hotkeyActions.${action}`)}
                rules={[accelerator]}
                {...(settings.unavailableHotkeys.includes(action)
                  ? { validateStatus: 'warning' as const, help: t('settings.hotkeyTaken') }
                  : {})}
              >
                <Input spellCheck={false} data-testid={`settings-hotkey-${action}`} />
              </Form.Item>
            ))}
          </div>
          <h2>{t('settings.devices')}</h2>
          <Form.Item name="microphoneId" label={t('settings.microphone')}>
            <DeviceSelect kind="audioinput" />
          </Form.Item>
          <div className="settings-row">
            <Form.Item name="speakerId" label={t('settings.speaker')}>
              <DeviceSelect kind="audiooutput" />
            </Form.Item>
            <Form.Item name="ringerId" label={t('settings.ringer')} extra={t('settings.ringerHint')}>
              <DeviceSelect kind="audiooutput" />
            </Form.Item>
          </div>
        </section>

        <div className="settings-actions">
          {error ? (
            <Alert type="error" showIcon title={t(`errors.${error}`)} data-testid="settings-error" />
          ) : null}
          <Button
            type="primary"
            htmlType="submit"
            loading={saving}
            autoInsertSpace={false}
            data-testid="settings-save"
          >
            {t('settings.save')}
          </Button>
        </div>
      </Form>
    </div>
  );
}
