import { InboxOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { selectOfflineTasks, useOfflineStore } from '../../stores/offline';
import { OfflineTasksPanel } from './OfflineTasksPanel';

/** Top-bar entry to the refused offline requests, with their count; hidden while there are none. */
export function OfflineTasksButton() {
  const { t } = useTranslation();
  const tasks = useOfflineStore(selectOfflineTasks);
  const [open, setOpen] = useState(false);
  if (tasks.length === 0 && !open) return null;
  return (
    <>
      <Badge count={tasks.length} size="small">
        <Button
          size="small"
          icon={<InboxOutlined />}
          onClick={() => setOpen(true)}
          data-testid="offline-tasks-button"
          aria-label={t('offline.tasksButtonLabel', { count: tasks.length })}
        >
          {t('offline.tasksButton')}
        </Button>
      </Badge>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        title={t('offline.tasksTitle')}
        size={520}
        destroyOnHidden
        data-testid="offline-tasks-drawer"
      >
        <OfflineTasksPanel onOpened={() => setOpen(false)} />
      </Drawer>
    </>
  );
}
