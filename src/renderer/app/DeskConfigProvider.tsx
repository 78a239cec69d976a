import { App as AntApp, ConfigProvider, theme } from 'antd';
import type { ReactNode } from 'react';
import { antdLocales } from '../i18n/antdLocale';
import { useLanguage } from '../i18n/useLanguage';
import { ThemeVariables } from './ThemeVariables';

const deskTheme = {
  algorithm: [theme.defaultAlgorithm, theme.compactAlgorithm],
  // The compact algorithm sizes body text from the seed's small size: a 16 px seed gives 14 px.
  token: { fontSize: 16 },
};

/** antd theme (light, compact) and antd's own strings in the current UI language. */
export function DeskConfigProvider({ children }: { children: ReactNode }) {
  const language = useLanguage();
  return (
    // No auto space between two Chinese characters on buttons ("退 款"): labels stay as written.
    <ConfigProvider locale={antdLocales[language]} theme={deskTheme} button={{ autoInsertSpace: false }}>
      <AntApp component={false}>
        <ThemeVariables>{children}</ThemeVariables>
      </AntApp>
    </ConfigProvider>
  );
}
