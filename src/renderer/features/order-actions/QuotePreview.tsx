import { Alert, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskError, type ErrorInfo } from '../../../shared/errors';
import type { ItemSelection, QuoteType, RefundQuote } from '../../../shared/rules/types';
import { desk } from '../../app/desk';
import { useFormat } from '../../i18n/useFormat';
import { ReasonList } from './ReasonList';

type QuoteState =
  { status: 'loading' } | { status: 'ready'; quote: RefundQuote } | { status: 'failed'; error: ErrorInfo };

/** What the customer gets back for this selection, line by line, before the agent confirms. */
export function QuotePreview({
  orderId,
  type,
  items,
  includeShipping,
}: {
  orderId: string;
  type: QuoteType;
  items: readonly ItemSelection[];
  includeShipping: boolean;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const key = JSON.stringify([orderId, type, items, includeShipping]);
  const [state, setState] = useState<{ key: string; value: QuoteState }>({
    key,
    value: { status: 'loading' },
  });

  useEffect(() => {
    let current = true;
    desk.orders.quote({ orderId, type, items: [...items], includeShipping }).then(
      (quote) => current && setState({ key, value: { status: 'ready', quote } }),
      (err: unknown) =>
        current && setState({ key, value: { status: 'failed', error: DeskError.from(err).toInfo() } }),
    );
    return () => {
      current = false;
    };
    // `key` stands for every input: the selection array is rebuilt on each render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const value = state.key === key ? state.value : { status: 'loading' as const };
  if (value.status === 'loading') {
    return (
      <div className="quote-preview" data-testid="quote-preview" data-state="loading">
        <Spin size="small" /> {t('actions.quoteLoading')}
      </div>
    );
  }
  if (value.status === 'failed') {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="quote-preview"
        title={t('actions.quoteFailed', { reason: t(`errors.${value.error.code}`) })}
      />
    );
  }
  const { quote } = value;
  return (
    <section className="quote-preview" data-testid="quote-preview" data-state="ready">
      <h4 className="quote-title">{t('actions.quote')}</h4>
      <table className="quote-table">
        <thead>
          <tr>
            <th>{t('orderDetail.sku')}</th>
            <th>{t('orderDetail.qty')}</th>
            <th>{t('actions.lineAmount')}</th>
            <th>{t('actions.couponShare')}</th>
            <th>{t('actions.priceProtection')}</th>
          </tr>
        </thead>
        <tbody>
          {quote.lines.map((line) => (
            <tr key={line.sku}>
              <td>{line.sku}</td>
              <td>{line.qty}</td>
              <td>{format.money(line.amount)}</td>
              <td>{line.couponShare.amount > 0 ? `−${format.money(line.couponShare)}` : '—'}</td>
              <td>{line.priceProtection.amount > 0 ? format.money(line.priceProtection) : '—'}</td>
            </tr>
          ))}
          <tr>
            <td colSpan={4}>{t('actions.shipping')}</td>
            <td>{format.money(quote.shipping)}</td>
          </tr>
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={4}>{t('actions.total')}</td>
            <td data-testid="quote-total">{format.money(quote.total)}</td>
          </tr>
        </tfoot>
      </table>
      <ReasonList reasons={quote.notes} />
    </section>
  );
}
