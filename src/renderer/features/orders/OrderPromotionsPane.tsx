import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Promotion } from '../../../shared/domain';
import { useFormat } from '../../i18n/useFormat';

/** Coupons and promotion rules in words: what was taken off, and off what. */
export function OrderPromotionsPane({ promotions }: { promotions: readonly Promotion[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (promotions.length === 0) {
    return <Typography.Text type="secondary">{t('workspace.noPromotions')}</Typography.Text>;
  }
  return (
    <ul className="promotion-list" data-testid="promotions">
      {promotions.map((promotion, index) => {
        const params = { rule: promotion.rule, discount: format.money(promotion.discount) };
        return (
          <li key={`${promotion.code ?? promotion.rule}:${index}`}>
            {promotion.code ? (
              <span className="promotion-code">{t('workspace.coupon', { code: promotion.code })}</span>
            ) : null}
            <span>
              {promotion.appliesTo === 'shipping'
                ? t('workspace.promotionShipping', params)
                : t('workspace.promotionLine', params)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
