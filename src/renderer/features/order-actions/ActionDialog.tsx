import { Alert, App, Checkbox, Input, Modal, type ButtonProps } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Address } from '../../../shared/domain';
import type { VisibleOrder } from '../../../shared/visibility';
import { editableAddress } from './editable-address';
import { DeskError, type ErrorCode } from '../../../shared/errors';
import type { ActionType, OrderAction, RuleReason } from '../../../shared/rules/types';
import { desk } from '../../app/desk';
import { recordCallAction, useInteractionStore } from '../../stores/interaction';
import { selectApplyOrderChange, selectShowOrder, useOrdersStore } from '../../stores/orders';
import type { CallAction } from '../../../shared/call-history';
import { ConflictDialog } from './ConflictDialog';
import { ItemPicker, initialPicks, type PickedItem } from './ItemPicker';
import { QuotePreview } from './QuotePreview';
import { ReasonList } from './ReasonList';

/** Failures where the action may not have reached the gateway: a retry reuses the same key. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['GATEWAY_UNAVAILABLE', 'TIMEOUT', 'RATE_LIMITED']);

const ADDRESS_FIELDS = ['name', 'phone', 'line1', 'city', 'region', 'postalCode'] as const;

type Failure = { kind: 'not_eligible'; reasons: RuleReason[] } | { kind: 'error'; code: ErrorCode };

/**
 * One action's dialog: the form, the quote for money-moving actions, and the answer. Sends the
 * order version the agent saw and one idempotency key per submit (kept when a retry follows a
 * lost connection, so the gateway applies the action at most once).
 */
export function ActionDialog({
  order,
  action,
  onClose,
}: {
  order: VisibleOrder;
  action: ActionType;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const show = useOrdersStore(selectShowOrder);
  const applyChange = useOrdersStore(selectApplyOrderChange);
  // The version the dialog was opened on: a change meanwhile must surface as a conflict.
  const [baseVersion] = useState(order.version);
  const idempotencyKey = useRef(crypto.randomUUID());
  const [picks, setPicks] = useState<PickedItem[]>(() => initialPicks(order.items));
  const [includeShipping, setIncludeShipping] = useState(false);
  const [reason, setReason] = useState('');
  const [noteText, setNoteText] = useState('');
  const [address, setAddress] = useState<Address>(() => editableAddress(order));
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [conflict, setConflict] = useState<VisibleOrder | null>(null);

  const picked = picks.filter((pick) => pick.picked);
  const items = picked.map(({ sku, qty }) => ({ sku, qty }));
  const movesGoods = action === 'refund' || action === 'return' || action === 'exchange';
  const needsReason = movesGoods || action === 'cancel';
  const label = t(`actions.names.${action}`);

  const build = (): OrderAction | null => {
    switch (action) {
      case 'refund':
        return { type: 'refund', items, includeShipping, reason: reason.trim() };
      case 'return':
        return items.length ? { type: 'return', items, reason: reason.trim() } : null;
      case 'exchange':
        return picked.length
          ? {
              type: 'exchange',
              items: picked.map(({ sku, qty, replacementSku }) => ({ sku, qty, replacementSku })),
              reason: reason.trim(),
            }
          : null;
      case 'cancel':
        return { type: 'cancel', reason: reason.trim() };
      case 'address_change':
        return { type: 'address_change', address };
      case 'note':
        return { type: 'note', text: noteText.trim() };
    }
  };

  const submit = async () => {
    const request = build();
    if (!request) return;
    setSending(true);
    setFailure(null);
    // The call this action is part of (during it or its after-call work), read at submit time.
    const interactionId = useInteractionStore.getState().currentId;
    const linked = (outcome: CallAction['outcome']) => {
      if (!interactionId) return;
      recordCallAction(interactionId, {
        orderId: order.id,
        displayNumber: order.displayNumber,
        type: request.type,
        outcome,
        at: new Date().toISOString(),
      });
    };
    try {
      const result = await desk.orders.action({
        orderId: order.id,
        expectedVersion: baseVersion,
        idempotencyKey: idempotencyKey.current,
        action: request,
        ...(interactionId ? { interactionId } : {}),
      });
      linked(result.outcome);
      if (result.outcome === 'queued') {
        // Offline: the outbox sends it when the gateway is back; a refusal becomes a task.
        void message.info(t('offline.queuedAction', { action: label }));
        onClose();
        return;
      }
      applyChange(result.order);
      void message.success(
        t(result.outcome === 'pending_approval' ? 'actions.pendingApproval' : 'actions.applied', {
          action: label,
        }),
      );
      onClose();
    } catch (err) {
      const error = DeskError.from(err);
      if (!TRANSIENT.has(error.code)) idempotencyKey.current = crypto.randomUUID();
      if (error.code === 'NOT_ELIGIBLE' || error.code === 'FORBIDDEN') linked('refused');
      if (error.code === 'VERSION_CONFLICT' && error.details?.currentOrder)
        setConflict(error.details.currentOrder);
      else if (error.code === 'NOT_ELIGIBLE')
        setFailure({ kind: 'not_eligible', reasons: error.details?.reasons ?? [] });
      else setFailure({ kind: 'error', code: error.code });
    } finally {
      setSending(false);
    }
  };

  const incomplete =
    (needsReason && reason.trim() === '') ||
    (action === 'note' && noteText.trim() === '') ||
    ((action === 'return' || action === 'exchange') && picked.length === 0) ||
    (action === 'address_change' && ADDRESS_FIELDS.some((field) => address[field].trim() === ''));

  if (conflict) {
    return (
      <ConflictDialog
        current={conflict}
        onReload={() => {
          show(conflict);
          onClose();
        }}
        onClose={onClose}
      />
    );
  }

  return (
    <Modal
      open
      title={`${label} · ${order.displayNumber}`}
      okText={t('actions.confirm')}
      cancelText={t('actions.cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={sending}
      okButtonProps={{ disabled: incomplete, 'data-testid': 'action-confirm' } as ButtonProps}
      width={640}
    >
      <div className="action-dialog" data-testid="action-dialog" data-action={action}>
        {movesGoods ? (
          <ItemPicker
            orderId={order.id}
            items={order.items}
            picks={picks}
            onChange={setPicks}
            withReplacement={action === 'exchange'}
          />
        ) : null}
        {action === 'refund' ? (
          <Checkbox checked={includeShipping} onChange={(event) => setIncludeShipping(event.target.checked)}>
            {t('actions.includeShipping')}
          </Checkbox>
        ) : null}
        {movesGoods ? (
          <QuotePreview orderId={order.id} type={action} items={items} includeShipping={includeShipping} />
        ) : null}
        {needsReason ? (
          <label className="action-field">
            <span>{t('actions.reason')}</span>
            <Input
              value={reason}
              maxLength={500}
              onChange={(event) => setReason(event.target.value)}
              placeholder={t('actions.reasonRequired')}
              data-testid="action-reason"
            />
          </label>
        ) : null}
        {action === 'note' ? (
          <label className="action-field">
            <span>{t('actions.noteText')}</span>
            <Input.TextArea
              value={noteText}
              maxLength={2000}
              autoSize={{ minRows: 3, maxRows: 6 }}
              onChange={(event) => setNoteText(event.target.value)}
              data-testid="action-note-text"
            />
          </label>
        ) : null}
        {action === 'address_change' ? (
          <div className="address-form">
            {ADDRESS_FIELDS.map((field) => (
              <label key={field} className="action-field">
                <span>{t(`actions.address.${field}`)}</span>
                <Input
                  value={address[field]}
                  onChange={(event) => setAddress({ ...address, [field]: event.target.value })}
                  data-testid={`address-${field}`}
                />
              </label>
            ))}
          </div>
        ) : null}
        {failure?.kind === 'not_eligible' ? (
          <Alert
            type="error"
            showIcon
            data-testid="action-not-eligible"
            title={t('actions.notEligible')}
            description={<ReasonList reasons={failure.reasons} />}
          />
        ) : null}
        {failure?.kind === 'error' ? (
          <Alert
            type="error"
            showIcon
            data-testid="action-error"
            title={t('actions.failed', { action: label, reason: t(`errors.${failure.code}`) })}
          />
        ) : null}
      </div>
    </Modal>
  );
}
