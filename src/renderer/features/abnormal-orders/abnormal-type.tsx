import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AbnormalType } from '../../../shared/abnormal';

// Colour groups the types at a glance; the text always names the type.
export const ABNORMAL_TYPE_COLOR: Record<AbnormalType, string> = {
  unpaid_too_long: 'gold',
  payment_failed: 'red',
  shipping_exception: 'volcano',
  logistics_stalled: 'orange',
  address_changed_after_payment: 'purple',
  fraud_suspect: 'magenta',
};

export function AbnormalTypeTag({ type }: { type: AbnormalType }) {
  const { t } = useTranslation();
  return (
    <Tag color={ABNORMAL_TYPE_COLOR[type]} data-abnormal-type={type}>
      {t(`abnormal.typeNames.${type}`)}
    </Tag>
  );
}

/** "2 d 5 h", "5 h", "12 min": how long the condition has held. */
export function useAgeText(): (sinceIso: string, nowMs: number) => string {
  const { t } = useTranslation();
  return (sinceIso, nowMs) => {
    const minutes = Math.max(0, Math.floor((nowMs - Date.parse(sinceIso)) / 60_000));
    const hours = Math.floor(minutes / 60);
    const days = Math.floor(hours / 24);
    if (days > 0) return t('abnormal.ageDaysHours', { days, hours: hours % 24 });
    if (hours > 0) return t('abnormal.ageHours', { hours });
    return t('abnormal.ageMinutes', { minutes });
  };
}
