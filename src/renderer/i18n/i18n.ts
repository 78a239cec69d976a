import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES } from '../../shared/contract';
import { en } from './resources/en';
import { zhCN } from './resources/zh-CN';

const resources = {
  en: { translation: en },
  'zh-CN': { translation: zhCN },
};

// Resources are bundled, so init is synchronous (initAsync: false) and `t` works on first render.
// The language saved in settings is applied once the desk has answered `settings.get`.
void i18next.use(initReactI18next).init({
  resources,
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: LANGUAGES,
  initAsync: false,
  interpolation: { escapeValue: false }, // React already escapes.
  returnNull: false,
});

export const i18n = i18next;
