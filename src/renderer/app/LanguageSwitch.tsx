import { App as AntApp, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '../../shared/contract';
import { DeskError } from '../../shared/errors';
import { applyLanguage } from '../i18n/language';
import { useLanguage } from '../i18n/useLanguage';
import { selectApplySettings, useSettingsStore } from '../stores/settings';
import { desk } from './desk';

/** Two small buttons, each language named in itself; the choice is saved in settings. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const applySettings = useSettingsStore(selectApplySettings);
  const current = useLanguage();

  const choose = async (language: Language) => {
    if (language === current) return;
    // Switch first: the agent sees the change at once, saving it is secondary.
    await applyLanguage(language);
    try {
      applySettings(await desk.settings.set({ language }));
    } catch (err) {
      void message.error(t(`errors.${DeskError.from(err).code}`));
    }
  };

  return (
    <Space.Compact size="small" role="group" aria-label={t('language.label')} data-testid="lang-switch">
      {LANGUAGES.map((language) => (
        <Button
          key={language}
          size="small"
          type={language === current ? 'primary' : 'default'}
          aria-pressed={language === current}
          lang={language}
          autoInsertSpace={false}
          data-testid={`lang-${language}`}
          onClick={() => void choose(language)}
        >
          {t(`language.names.${language}`)}
        </Button>
      ))}
    </Space.Compact>
  );
}
