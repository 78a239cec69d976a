import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RiskFlag } from '../../../shared/domain';
import { useFormat } from '../../i18n/useFormat';

/** Risk flags go on top in red: the agent must see them before acting on the order. */
export function OrderRiskFlags({ flags }: { flags: readonly RiskFlag[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (flags.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      // Part of the order, not news: role="note" keeps screen readers from interrupting.
      role="note"
      aria-label={t('orderDetail.riskFlags')}
      data-testid="order-detail-risk-flags"
      title={
        <ul className="risk-flag-list">
          {flags.map((flag, index) => (
            <li key={`${flag.kind}:${index}`} data-kind={flag.kind}>
              <strong>{t(`riskFlag.${flag.kind}`)}</strong>
              {flag.note && <span> · {flag.note}</span>}
              <span className="risk-flag-time"> · {format.dateTime(flag.at)}</span>
              <div className="risk-flag-help">{t(`riskFlagHelp.${flag.kind}`)}</div>
            </li>
          ))}
        </ul>
      }
    />
  );
}
