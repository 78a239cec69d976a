import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CallAction, CallRecord } from '../../../shared/call-history';
import { callActionName } from './call-action-name';

/**
 * A call's summary in the call history: the saved wrap-up (orders, actions with outcome, note),
 * or, without one, the actions recorded as they were taken. A wrap-up the desk saved when
 * after-call work ended without a save says so.
 */
export function CallSummaryCell({ record }: { record: CallRecord }) {
  const { t } = useTranslation();
  const orders = record.summary?.orders ?? [];
  const actions = record.summary?.actions ?? record.actions;
  if (orders.length === 0 && actions.length === 0 && !record.note && !record.autoSaved) return null;
  const actionText = (action: CallAction) =>
    t('wrapUp.action', {
      action: callActionName(t, action.type),
      order: action.displayNumber,
      outcome: t(`wrapUp.outcomes.${action.outcome}`),
    });
  return (
    <div className="call-summary" data-testid="call-summary">
      {record.autoSaved ? (
        <Tooltip title={t('wrapUp.autoSavedHint')}>
          <Tag className="call-summary-auto" data-testid="call-summary-auto-saved" tabIndex={0}>
            {t('wrapUp.autoSaved')}
          </Tag>
        </Tooltip>
      ) : null}
      {orders.length > 0 ? (
        <div data-testid="call-summary-orders">
          <span className="acw-summary-label">{t('wrapUp.ordersViewed')}: </span>
          {orders.map((order) => order.displayNumber).join(', ')}
        </div>
      ) : null}
      {actions.length > 0 ? (
        <div data-testid="call-summary-actions">
          <span className="acw-summary-label">{t('wrapUp.actionsTaken')}: </span>
          {actions.map(actionText).join('; ')}
        </div>
      ) : null}
      {record.note ? (
        <div className="call-summary-note" data-testid="call-summary-note">
          {record.note}
        </div>
      ) : null}
    </div>
  );
}
