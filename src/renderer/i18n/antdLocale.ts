import type { ConfigProviderProps } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { Language } from '../../shared/contract';

/** antd's built-in strings (pagination, empty states, pickers) in each UI language. */
export const antdLocales: Record<Language, NonNullable<ConfigProviderProps['locale']>> = {
  en: enUS,
  'zh-CN': zhCN,
};
