import { useMemo } from 'react';
import type { Money } from '../../shared/domain';
import { formatCountry, formatDateTime, formatMoney, formatTime } from './format';
import { useLanguage } from './useLanguage';

/** The formatters bound to the current UI language; components re-render when it changes. */
export function useFormat() {
  const language = useLanguage();
  return useMemo(
    () => ({
      money: (money: Money) => formatMoney(money, language),
      dateTime: (iso: string) => formatDateTime(iso, language),
      time: (iso: string) => formatTime(iso, language),
      country: (regionCode: string) => formatCountry(regionCode, language),
    }),
    [language],
  );
}
