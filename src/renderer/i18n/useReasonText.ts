import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { RuleReasonCode } from '../../shared/rules/reasons';
import type { RuleReason } from '../../shared/rules/types';
import type { CallReasonCode } from '../../shared/screen-pop/call-reasons';
import { useFormat } from './useFormat';

type ReasonCode = RuleReasonCode | CallReasonCode;

/** Params that are money in minor units when a `currency` param stands beside them. */
const MONEY_PARAMS = ['amount', 'limit', 'maximum'] as const;

/**
 * A rule or screen-pop reason in the agent's language: money params formatted by locale,
 * status and kind codes translated. A code this build does not know shows as itself.
 */
export function useReasonText(): (reason: RuleReason) => string {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  return useCallback(
    (reason: RuleReason) => {
      const params: Record<string, string | number> = { ...reason.params };
      const currency = params.currency;
      if (typeof currency === 'string') {
        for (const name of MONEY_PARAMS) {
          const value = params[name];
          if (typeof value === 'number') params[name] = format.money({ amount: value, currency });
        }
      }
      const translate = (group: string, value: string | number | undefined) => {
        const key = `${group}.${String(value)}`;
        // Keys are built from data here, so they cannot be checked against the resource type.
        return i18n.exists(key) ? t(key as never) : String(value);
      };
      if (params.status !== undefined) params.status = translate('orderStatus', params.status);
      if (params.paymentStatus !== undefined)
        params.paymentStatus = translate('paymentStatus', params.paymentStatus);
      if (params.role !== undefined) params.role = translate('roles', params.role);
      if (params.kind !== undefined) params.kind = translate('afterSalesKind', params.kind);
      if (params.caseStatus !== undefined)
        params.caseStatus = translate('afterSalesStatus', params.caseStatus);
      const key = `reasons.${reason.code}`;
      if (!i18n.exists(key)) return reason.code;
      return t(`reasons.${reason.code as ReasonCode}`, { ...params, interpolation: { escapeValue: false } });
    },
    [t, i18n, format],
  );
}
