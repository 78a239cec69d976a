import { App as AntApp } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentUser } from '../../../shared/domain';
import { DeskError } from '../../../shared/errors';
import { desk } from '../../app/desk';
import { useFormat } from '../../i18n/useFormat';
import { NO_SEARCH_FILTERS, useOrdersStore } from '../../stores/orders';
import { selectApplyView, selectResetView, useRoleViewStore } from '../../stores/roleView';

/**
 * Keeps the own role view current (loaded at sign-in, replaced live by 'view.changed') and tells
 * the agent what became of an approval they asked for.
 */
export function useRoleView(user: AgentUser): void {
  const { t } = useTranslation();
  const format = useFormat();
  const { notification } = AntApp.useApp();
  const applyView = useRoleViewStore(selectApplyView);
  const reset = useRoleViewStore(selectResetView);

  useEffect(() => {
    let cancelled = false;
    const off = desk.on('view.changed', (view) => applyView(view, user.role));
    desk.views
      .current()
      .then((view) => {
        if (cancelled) return;
        applyView(view, user.role);
        // The view's default statuses pre-fill the first search of the session (the agent sees
        // them in the filter bar and can clear them); later view changes leave the filters alone.
        const statuses = view.layout.defaultFilters.statuses ?? [];
        const orders = useOrdersStore.getState();
        if (statuses.length > 0 && orders.filters === NO_SEARCH_FILTERS) {
          orders.setFilters({ ...NO_SEARCH_FILTERS, statuses });
        }
      })
      .catch((err: unknown) => {
        // Without a view the workspace shows the full default layout; the gateway still enforces.
        if (DeskError.from(err).code !== 'NOT_SIGNED_IN') return;
      });
    return () => {
      cancelled = true;
      off();
      reset();
    };
  }, [user.role, applyView, reset]);

  useEffect(
    () =>
      desk.on('approval.changed', (approval) => {
        if (approval.requestedBy.id !== user.id || approval.status === 'pending') return;
        const values = {
          action: t(`actions.names.${approval.action.type}`),
          amount: approval.amount ? format.money(approval.amount) : '',
          order: approval.displayNumber,
          by: approval.decidedBy?.displayName ?? '',
          reason: approval.decisionReason ?? '',
        };
        const key = `approval-${approval.id}`;
        if (approval.status === 'approved') {
          notification.success({
            key,
            title: t('roleViews.approvals.approvedNotice', values),
            duration: 8,
            props: { 'data-testid': 'approval-notice' } as object,
          });
        } else {
          notification.warning({
            key,
            title: t(
              approval.status === 'rejected'
                ? 'roleViews.approvals.rejectedNotice'
                : 'roleViews.approvals.failedOwnNotice',
              values,
            ),
            description: values.reason,
            duration: 0,
            props: { 'data-testid': 'approval-notice' } as object,
          });
        }
      }),
    [user.id, t, format, notification],
  );
}
