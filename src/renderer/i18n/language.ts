import { LANGUAGES, type Language } from '../../shared/contract';
import { i18n } from './i18n';

export const isLanguage = (value: string): value is Language =>
  (LANGUAGES as readonly string[]).includes(value);

/** Switches the UI language: strings, `<html lang>` (fonts, screen readers) and the window title. */
export async function applyLanguage(language: Language): Promise<void> {
  await i18n.changeLanguage(language);
  document.documentElement.lang = language;
  document.title = i18n.t('app.name');
}
