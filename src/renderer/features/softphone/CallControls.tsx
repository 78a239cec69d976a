import {
  AudioMutedOutlined,
  AudioOutlined,
  GlobalOutlined,
  NumberOutlined,
  PauseCircleOutlined,
  PhoneOutlined,
  PlayCircleOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import { Button, Popover, Tag, Tooltip } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { selectCalls, selectCurrentCall, useSoftphoneStore } from '../../stores/softphone';
import { CallTimer } from './CallTimer';
import { DialPad } from './DialPad';
import { softphone } from './softphone';
import { TransferPanel } from './TransferPanel';
import { useDtmfKeyboard } from './useDtmfKeyboard';
import { cobrowseShortcutLabel } from '../../app/shortcuts';
import { openCobrowse } from '../cobrowse/useCobrowse';
import { useMayCobrowse } from '../cobrowse/may-cobrowse';

/** The current call in the top bar: who, how long, hold, mute, transfer, keypad, co-browse, hang up. */
export function CallControls() {
  const { t } = useTranslation();
  const call = useSoftphoneStore(selectCurrentCall);
  const calls = useSoftphoneStore(selectCalls);
  const [transferOpen, setTransferOpen] = useState(false);
  const mayCobrowse = useMayCobrowse();
  const callId = call?.status === 'active' ? call.id : null;
  const sendKey = useCallback(
    (key: string) => {
      if (callId) void softphone.sendDtmf(callId, key);
    },
    [callId],
  );
  useDtmfKeyboard(callId ? sendKey : null);

  if (!call) return null;
  const held = call.status === 'held';
  const otherHeld = calls.filter((other) => other.id !== call.id && other.status === 'held');
  const caller = call.remoteName || call.remoteNumber;

  return (
    <div className="call-controls" data-testid="call-controls" data-call-status={call.status}>
      <span className="call-controls-caller" title={`${caller} ${call.remoteNumber}`}>
        <span data-testid="call-caller">{caller}</span>
        {call.remoteName ? <span className="call-controls-number">{call.remoteNumber}</span> : null}
      </span>
      {call.answeredAt ? (
        <CallTimer from={call.answeredAt} testId="call-timer" />
      ) : (
        <span className="call-timer">{t('softphone.dialing')}</span>
      )}
      {held ? (
        <Tag color="warning" variant="outlined">
          {t('softphone.onHold')}
        </Tag>
      ) : null}
      {otherHeld.length > 0 ? (
        <Tooltip title={otherHeld.map((other) => other.remoteName || other.remoteNumber).join(', ')}>
          <Button
            size="small"
            onClick={() => void softphone.setHold(otherHeld[0]!.id, false)}
            data-testid="swap-call"
          >
            {t('softphone.swapTo', { caller: otherHeld[0]!.remoteName || otherHeld[0]!.remoteNumber })}
          </Button>
        </Tooltip>
      ) : null}
      <Tooltip title={held ? t('softphone.resume') : t('softphone.hold')}>
        <Button
          size="small"
          icon={held ? <PlayCircleOutlined /> : <PauseCircleOutlined />}
          aria-label={held ? t('softphone.resume') : t('softphone.hold')}
          aria-pressed={held}
          disabled={!call.answeredAt}
          onClick={() => void softphone.setHold(call.id, !held)}
          data-testid="call-hold"
        />
      </Tooltip>
      <Tooltip title={call.muted ? t('softphone.unmute') : t('softphone.mute')}>
        <Button
          size="small"
          icon={call.muted ? <AudioMutedOutlined /> : <AudioOutlined />}
          aria-label={call.muted ? t('softphone.unmute') : t('softphone.mute')}
          aria-pressed={call.muted}
          danger={call.muted}
          disabled={!call.answeredAt}
          onClick={() => softphone.setMuted(call.id, !call.muted)}
          data-testid="call-mute"
        />
      </Tooltip>
      {call.consultFor ? (
        <Button
          size="small"
          type="primary"
          disabled={!call.answeredAt}
          onClick={() => void softphone.completeTransfer(call.id)}
          data-testid="transfer-complete"
        >
          {t('softphone.completeTransfer')}
        </Button>
      ) : (
        <Popover
          trigger="click"
          open={transferOpen}
          onOpenChange={setTransferOpen}
          title={t('softphone.transfer')}
          content={
            <TransferPanel
              onBlind={(target) => {
                setTransferOpen(false);
                void softphone.blindTransfer(call.id, target);
              }}
              onConsult={(target) => {
                setTransferOpen(false);
                void softphone.startConsult(call.id, target);
              }}
            />
          }
        >
          <Tooltip title={t('softphone.transfer')}>
            <Button
              size="small"
              icon={<SwapOutlined />}
              aria-label={t('softphone.transfer')}
              disabled={!call.answeredAt}
              data-testid="call-transfer"
            />
          </Tooltip>
        </Popover>
      )}
      <Popover trigger="click" title={t('softphone.keypad')} content={<DialPad onKey={sendKey} />}>
        <Tooltip title={t('softphone.keypadHint')}>
          <Button
            size="small"
            icon={<NumberOutlined />}
            aria-label={t('softphone.keypad')}
            disabled={call.status !== 'active'}
            data-testid="call-keypad"
          />
        </Tooltip>
      </Popover>
      {/* Co-browse with the caller: the session is linked to this call and the order on screen. */}
      {mayCobrowse && (
        <Tooltip title={t('cobrowse.callBarHint', { shortcut: cobrowseShortcutLabel })}>
          <Button
            size="small"
            icon={<GlobalOutlined />}
            aria-label={t('cobrowse.callBar')}
            disabled={!call.answeredAt}
            onClick={openCobrowse}
            data-testid="call-cobrowse"
          />
        </Tooltip>
      )}
      <Button
        size="small"
        type="primary"
        danger
        icon={<PhoneOutlined rotate={225} />}
        onClick={() => void softphone.hangUp(call.id)}
        data-testid="call-hangup"
      >
        {t('softphone.hangUp')}
      </Button>
    </div>
  );
}
