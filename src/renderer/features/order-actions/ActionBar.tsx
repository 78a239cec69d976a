import { Alert, Button, Popover, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VisibleOrder } from '../../../shared/visibility';
import type { ActionType, AllowedAction } from '../../../shared/rules/types';
import { ActionDialog } from './ActionDialog';
import { ReasonList } from './ReasonList';
import { useAllowedActions } from './useAllowedActions';

/**
 * One button per action, driven by the gateway's allowed actions: an allowed one opens its
 * dialog; a disabled one says why and what to do instead (hover or focus it).
 */
export function ActionBar({ order, offered }: { order: VisibleOrder; offered?: readonly ActionType[] }) {
  const state = useAllowedActions(order);
  const [open, setOpen] = useState<ActionType | null>(null);

  // The dialog sits beside the bar, not in it: a new version of the order reloads the bar but
  // must not remount an open dialog (it keeps the version the agent started from).
  return (
    <>
      <ActionButtons state={state} offered={offered} onOpen={setOpen} />
      {open ? <ActionDialog order={order} action={open} onClose={() => setOpen(null)} /> : null}
    </>
  );
}

function ActionButtons({
  state,
  offered,
  onOpen,
}: {
  state: ReturnType<typeof useAllowedActions>;
  /** The role view's actions, in its order (ROLES-DESK); absent: every action the gateway lists. */
  offered?: readonly ActionType[] | undefined;
  onOpen: (action: ActionType) => void;
}) {
  const { t } = useTranslation();
  if (state.status === 'loading') {
    return (
      <div className="action-bar" data-testid="action-bar" data-state="loading">
        <Spin size="small" /> <span className="action-bar-hint">{t('actions.loading')}</span>
      </div>
    );
  }
  if (state.status === 'failed') {
    return (
      <Alert
        type="warning"
        showIcon
        data-testid="action-bar"
        title={t('actions.loadFailed', { reason: t(`errors.${state.error.code}`) })}
      />
    );
  }
  return (
    <div className="action-bar" data-testid="action-bar" data-state="ready">
      {(offered
        ? offered.flatMap((type) => state.actions.filter((action) => action.action === type))
        : state.actions
      ).map((action) => (
        <ActionButton key={action.action} action={action} onOpen={() => onOpen(action.action)} />
      ))}
    </div>
  );
}

function ActionButton({ action, onOpen }: { action: AllowedAction; onOpen: () => void }) {
  const { t } = useTranslation();
  const label = t(`actions.names.${action.action}`);
  if (action.allowed) {
    const hint = action.needsApproval ? t('actions.needsApproval') : null;
    const button = (
      <Button
        size="small"
        onClick={onOpen}
        data-testid={`action-${action.action}`}
        data-allowed="true"
        className={action.needsApproval ? 'action-needs-approval' : undefined}
      >
        {label}
      </Button>
    );
    return hint || action.reasons.length > 0 ? (
      <Popover
        content={
          <div className="action-why" data-testid={`action-why-${action.action}`}>
            {hint ? <div className="action-why-approval">{hint}</div> : null}
            <ReasonList reasons={action.reasons} />
          </div>
        }
      >
        {button}
      </Popover>
    ) : (
      button
    );
  }
  return (
    <Popover
      trigger={['hover', 'focus', 'click']}
      title={t('actions.notAllowed')}
      content={
        <div className="action-why" data-testid={`action-why-${action.action}`}>
          <ReasonList reasons={action.reasons} />
          {action.alternatives.length > 0 ? (
            <>
              <div className="action-why-instead">{t('actions.instead')}</div>
              <ReasonList reasons={action.alternatives} />
            </>
          ) : null}
        </div>
      }
    >
      {/* Disabled buttons get no pointer events: the wrapper carries the explanation. */}
      <span className="action-disabled-wrapper" tabIndex={0} data-testid={`action-${action.action}-wrapper`}>
        <Button size="small" disabled data-testid={`action-${action.action}`} data-allowed="false">
          {label}
        </Button>
      </span>
    </Popover>
  );
}
