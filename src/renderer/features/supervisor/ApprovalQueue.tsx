import { Alert, App as AntApp, Button, Empty, Input, Modal, Tag } from 'antd';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../roles/roles.css';
import { DeskError } from '../../../shared/errors';
import type { Approval, ApprovalStatus } from '../../../shared/protocol';
import { desk } from '../../app/desk';
import { useFormat } from '../../i18n/useFormat';
import { ReasonList } from '../order-actions/ReasonList';

const ALL_STATUSES: ApprovalStatus[] = ['pending', 'approved', 'rejected', 'failed'];
const OUTCOME_COLOURS: Record<ApprovalStatus, string> = {
  pending: 'blue',
  approved: 'green',
  rejected: 'red',
  failed: 'orange',
};

/** Pending first (oldest first), then the decided ones (newest decision first). */
export function sortApprovals(items: readonly Approval[]): Approval[] {
  const pending = items
    .filter((a) => a.status === 'pending')
    .sort((a, b) => a.requestedAt.localeCompare(b.requestedAt));
  const decided = items
    .filter((a) => a.status !== 'pending')
    .sort((a, b) => (b.decidedAt ?? '').localeCompare(a.decidedAt ?? ''));
  return [...pending, ...decided];
}

/** The supervisor's approval queue: actions above an agent's limit, to approve or reject with a reason. */
export function ApprovalQueue() {
  const { t } = useTranslation();
  const format = useFormat();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<Approval[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [rejecting, setRejecting] = useState<Approval | null>(null);

  const load = useCallback(
    () =>
      desk.approvals.list({ statuses: ALL_STATUSES, limit: 100 }).then(
        (result) => {
          setItems(sortApprovals(result.items));
          setError(null);
        },
        (err: unknown) => setError(t(`errors.${DeskError.from(err).code}`)),
      ),
    [t],
  );

  useEffect(() => {
    void load();
    return desk.on('approval.changed', () => void load());
  }, [load]);

  const decide = async (approval: Approval, decision: 'approve' | 'reject', reason = '') => {
    setBusy(approval.id);
    try {
      const result = await desk.approvals.decide({ id: approval.id, decision, reason });
      setItems((current) =>
        sortApprovals((current ?? []).map((item) => (item.id === approval.id ? result.approval : item))),
      );
      if (result.approval.status === 'failed') {
        void message.warning(
          t('roleViews.approvals.failedNotice', { reason: result.approval.decisionReason ?? '' }),
        );
      }
      return true;
    } catch (err) {
      void message.error(t(`errors.${DeskError.from(err).code}`));
      void load();
      return false;
    } finally {
      setBusy(null);
    }
  };

  return (
    <section
      className="supervisor-view"
      data-testid="approval-queue"
      aria-label={t('roleViews.approvals.title')}
    >
      <header className="supervisor-view-header">
        <h2>{t('roleViews.approvals.title')}</h2>
        <Button size="small" onClick={() => void load()}>
          {t('roleViews.refresh')}
        </Button>
      </header>
      {error ? <Alert type="error" showIcon title={t('roleViews.loadFailed', { reason: error })} /> : null}
      {items && items.length === 0 ? <Empty description={t('roleViews.approvals.empty')} /> : null}
      {items && items.length > 0 ? (
        <table className="supervisor-table">
          <thead>
            <tr>
              <th>{t('roleViews.approvals.order')}</th>
              <th>{t('roleViews.approvals.action')}</th>
              <th>{t('roleViews.approvals.amount')}</th>
              <th>{t('roleViews.approvals.requestedBy')}</th>
              <th>{t('roleViews.approvals.why')}</th>
              <th>{t('roleViews.approvals.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((approval) => (
              <tr key={approval.id} data-testid={`approval-${approval.id}`} data-status={approval.status}>
                <td className="supervisor-key">{approval.displayNumber}</td>
                <td>{t(`actions.names.${approval.action.type}`)}</td>
                <td>{approval.amount ? format.money(approval.amount) : '—'}</td>
                <td>
                  {approval.requestedBy.displayName}
                  <div className="supervisor-muted">{format.dateTime(approval.requestedAt)}</div>
                </td>
                <td>
                  <ReasonList reasons={approval.reasons} />
                </td>
                <td>
                  {approval.status === 'pending' ? (
                    <span className="approval-buttons">
                      <Button
                        size="small"
                        type="primary"
                        loading={busy === approval.id}
                        onClick={() => void decide(approval, 'approve')}
                        data-testid={`approve-${approval.id}`}
                      >
                        {t('roleViews.approvals.approve')}
                      </Button>
                      <Button
                        size="small"
                        danger
                        disabled={busy === approval.id}
                        onClick={() => setRejecting(approval)}
                        data-testid={`reject-${approval.id}`}
                      >
                        {t('roleViews.approvals.reject')}
                      </Button>
                    </span>
                  ) : (
                    <span data-testid={`outcome-${approval.id}`}>
                      <Tag color={OUTCOME_COLOURS[approval.status]}>
                        {t(`roleViews.approvals.statuses.${approval.status}`)}
                      </Tag>
                      {approval.decidedBy?.displayName}
                      {approval.decisionReason ? (
                        <div className="supervisor-muted">{approval.decisionReason}</div>
                      ) : null}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {rejecting ? (
        <RejectDialog
          approval={rejecting}
          onCancel={() => setRejecting(null)}
          onReject={async (reason) => {
            if (await decide(rejecting, 'reject', reason)) setRejecting(null);
          }}
        />
      ) : null}
    </section>
  );
}

function RejectDialog({
  approval,
  onCancel,
  onReject,
}: {
  approval: Approval;
  onCancel: () => void;
  onReject: (reason: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const empty = reason.trim().length === 0;
  const submit = async () => {
    setTouched(true);
    if (empty || busy) return;
    setBusy(true);
    await onReject(reason.trim());
    setBusy(false);
  };
  return (
    <Modal
      open
      width={420}
      title={t('roleViews.approvals.rejectTitle', { order: approval.displayNumber })}
      okText={t('roleViews.approvals.reject')}
      okButtonProps={{ danger: true, 'data-testid': 'reject-confirm' }}
      cancelText={t('roleViews.cancel')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onCancel}
    >
      <label htmlFor={id}>{t('roleViews.approvals.rejectReason')}</label>
      <Input.TextArea
        id={id}
        autoFocus
        rows={2}
        maxLength={500}
        value={reason}
        status={touched && empty ? 'error' : undefined}
        onChange={(event) => setReason(event.target.value)}
        data-testid="reject-reason"
      />
      {touched && empty ? (
        <div className="reveal-error" role="alert">
          {t('roleViews.approvals.reasonRequired')}
        </div>
      ) : null}
    </Modal>
  );
}
