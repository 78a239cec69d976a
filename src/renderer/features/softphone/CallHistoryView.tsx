import { Alert, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallRecord } from '../../../shared/call-history';
import { DeskError, type ErrorCode } from '../../../shared/errors';
import { desk } from '../../app/desk';
import { useFormat } from '../../i18n/useFormat';
import { selectCalls, useSoftphoneStore } from '../../stores/softphone';
import { formatDuration } from './CallTimer';
import { CallSummaryCell } from '../wrap-up/CallSummaryCell';

const RECENT_CALLS = 200;

/** The agent's recent calls from the local history, newest first; refreshed as calls end. */
export function CallHistoryView() {
  const { t } = useTranslation();
  const format = useFormat();
  const [rows, setRows] = useState<CallRecord[] | null>(null);
  const [error, setError] = useState<ErrorCode | null>(null);
  const ongoing = useSoftphoneStore(selectCalls).length;

  useEffect(() => {
    desk.calls.recent({ limit: RECENT_CALLS }).then(
      (recent) => {
        setRows(recent);
        setError(null);
      },
      (err) => setError(DeskError.from(err).code),
    );
  }, [ongoing]);

  if (error) return <Alert className="pane-alert" type="error" title={t(`errors.${error}`)} />;
  return (
    <div className="call-history" data-testid="call-history">
      <Table<CallRecord>
        size="small"
        rowKey="callId"
        loading={rows === null}
        dataSource={rows ?? []}
        pagination={false}
        sticky
        // data-* attributes are valid on a row but not in antd's typing of onRow's result.
        onRow={(row) => ({ 'data-testid': 'call-history-row', 'data-call-id': row.callId }) as object}
        locale={{ emptyText: t('callHistory.empty') }}
        columns={[
          {
            title: t('callHistory.started'),
            dataIndex: 'startedAt',
            width: 170,
            render: (iso: string) => format.dateTime(iso),
          },
          {
            title: t('callHistory.direction'),
            dataIndex: 'direction',
            width: 80,
            render: (direction: CallRecord['direction']) => t(`callHistory.directions.${direction}`),
          },
          { title: t('callHistory.name'), dataIndex: 'name', width: 120 },
          { title: t('callHistory.number'), dataIndex: 'number', width: 130 },
          {
            title: t('callHistory.duration'),
            dataIndex: 'durationSeconds',
            width: 80,
            render: (seconds: number) => formatDuration(seconds),
          },
          {
            title: t('callHistory.outcome'),
            dataIndex: 'outcome',
            width: 100,
            render: (outcome: CallRecord['outcome']) => (
              <Tag color={outcome === 'answered' || outcome === 'transferred' ? 'success' : 'warning'}>
                {t(`callHistory.outcomes.${outcome}`)}
              </Tag>
            ),
          },
          {
            title: t('callHistory.disposition'),
            dataIndex: 'disposition',
            width: 120,
            render: (disposition: CallRecord['disposition'], row) =>
              disposition ? (
                <span title={row.note ?? undefined}>{t(`agentState.dispositions.${disposition}`)}</span>
              ) : null,
          },
          { title: t('callHistory.order'), dataIndex: 'orderId', width: 120 },
          {
            title: t('wrapUp.historyColumn'),
            key: 'summary',
            // The rest of the row: the summary is the longest text here.
            render: (_: unknown, row) => <CallSummaryCell record={row} />,
          },
        ]}
      />
    </div>
  );
}
