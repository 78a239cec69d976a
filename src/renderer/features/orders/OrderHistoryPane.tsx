import { Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { VisibleOrder } from '../../../shared/visibility';
import { useFormat } from '../../i18n/useFormat';
import { DuringCallTag } from '../wrap-up/DuringCallTag';
import { DetailSection } from './DetailSection';
import { OrderStatusTag } from './StatusTag';

/** How the order got here (status changes with who made them) and the agents' notes. */
export function OrderHistoryPane({ order }: { order: VisibleOrder }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="history-pane">
      <DetailSection title={t('workspace.statusTimeline')}>
        {order.timeline.length === 0 ? (
          <Typography.Text type="secondary">{t('workspace.noTimeline')}</Typography.Text>
        ) : (
          <Timeline
            items={[...order.timeline].reverse().map((entry, index) => ({
              key: `${entry.at}:${index}`,
              content: (
                <div className="timeline-entry">
                  <span className="shipment-event-time">{format.dateTime(entry.at)}</span>
                  <OrderStatusTag status={entry.status} />
                  <span className="timeline-actor">{entry.actor}</span>
                  {entry.note ? <span>{entry.note}</span> : null}
                  {entry.interactionId ? <DuringCallTag interactionId={entry.interactionId} /> : null}
                </div>
              ),
            }))}
          />
        )}
      </DetailSection>
      <DetailSection title={t('workspace.notes')}>
        {order.notes === undefined ? (
          <Typography.Text type="secondary">{t('visibility.notesHidden')}</Typography.Text>
        ) : order.notes.length === 0 ? (
          <Typography.Text type="secondary">{t('workspace.noNotes')}</Typography.Text>
        ) : (
          <ul className="note-list" data-testid="order-notes">
            {[...order.notes].reverse().map((note, index) => (
              <li key={`${note.at}:${index}`}>
                <span className="shipment-event-time">{format.dateTime(note.at)}</span>
                <span className="timeline-actor">{note.author}</span>
                <span>{note.text}</span>
                {note.interactionId ? <DuringCallTag interactionId={note.interactionId} /> : null}
              </li>
            ))}
          </ul>
        )}
      </DetailSection>
    </div>
  );
}
