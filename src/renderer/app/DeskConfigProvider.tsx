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
    <ConfigProvider locale={antdLocales[language]} theme={deskTheme}>
      <AntApp component={false}>
        <ThemeVariables>{children}</ThemeVariables>
      </AntApp>
    </ConfigProvider>
  );
}
