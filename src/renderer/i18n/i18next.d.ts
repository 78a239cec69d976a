import 'i18next';
import type { Messages } from './resources/en';

// Types `t` against the English resource: an unknown key is a compile error.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Messages };
  }
}
