import { useTranslation } from 'react-i18next';
import type { Language } from '../../shared/contract';
import { isLanguage } from './language';

/** The language the UI shows now; the component re-renders when it changes. */
export function useLanguage(): Language {
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return isLanguage(language) ? language : 'en';
}
