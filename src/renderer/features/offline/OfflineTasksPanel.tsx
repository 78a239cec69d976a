import { App, Button, Empty, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { DeskError } from '../../../shared/errors';
import type { OfflineTask } from '../../../shared/offline';
import { desk } from '../../app/desk';
import { useFormat } from '../../i18n/useFormat';
import { useReasonText } from '../../i18n/useReasonText';
import { selectApplyOffline, selectOfflineTasks, useOfflineStore } from '../../stores/offline';
import { selectOpenOrder, useOrdersStore } from '../../stores/orders';

/**
 * Requests made offline that the gateway refused when they were sent: which order, what was
 * attempted, why (in words), and a way to open the order and deal with it.
 */
export function OfflineTasksPanel({ onOpened }: { onOpened: () => void }) {
  const { t } = useTranslation();
  const tasks = useOfflineStore(selectOfflineTasks);
  if (tasks.length === 0) return <Empty description={t('offline.noTasks')} />;
  return (
    <div className="offline-task-list" role="list" aria-label={t('offline.tasksTitle')}>
      <Typography.Paragraph type="secondary" className="offline-task-intro">
        {t('offline.tasksIntro')}
      </Typography.Paragraph>
      {tasks.map((task) => (
        <OfflineTaskItem key={task.id} task={task} onOpened={onOpened} />
      ))}
    </div>
  );
}

function OfflineTaskItem({ task, onOpened }: { task: OfflineTask; onOpened: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const reasonText = useReasonText();
  const openOrder = useOrdersStore(selectOpenOrder);
  const applyOffline = useOfflineStore(selectApplyOffline);
  const { message } = App.useApp();
  const action = t(`actions.names.${task.action}`);
  return (
    <section
      className="offline-task"
      role="listitem"
      data-testid="offline-task"
      data-task-status={task.status}
    >
      <header className="offline-task-header">
        <span className="offline-task-number" data-testid="offline-task-number">
          {task.displayNumber ?? t('offline.unknownOrder')}
        </span>
        <Tag color={task.status === 'conflict' ? 'warning' : 'error'}>
          {t(`offline.status.${task.status}`)}
        </Tag>
        <span className="offline-task-time">
          {t('offline.attemptedAt', { time: format.dateTime(task.queuedAt) })}
        </span>
      </header>
      <div className="offline-task-what">{t('offline.attempted', { action })}</div>
      <div className="offline-task-why" data-testid="offline-task-reason">
        {task.status === 'conflict'
          ? t('offline.reason.conflict')
          : t('offline.reason.rejected', { reason: t(`errors.${task.reason.code}`) })}
        {task.reason.reasons.length > 0 ? (
          <ul className="offline-task-reasons">
            {task.reason.reasons.map((reason, index) => (
              <li key={`${reason.code}-${index}`}>{reasonText(reason)}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <Space size="small">
        <Button
          type="primary"
          size="small"
          data-testid="offline-task-open"
          onClick={() => {
            void openOrder(task.orderId);
            onOpened();
          }}
        >
          {t('offline.openOrder')}
        </Button>
        <Button
          size="small"
          data-testid="offline-task-dismiss"
          onClick={() => {
            desk.offline.dismissTask({ id: task.id }).then(applyOffline, (err: unknown) => {
              void message.error(
                t('offline.dismissFailed', { reason: t(`errors.${DeskError.from(err).code}`) }),
              );
            });
          }}
        >
          {t('offline.dismiss')}
        </Button>
      </Space>
    </section>
  );
}
