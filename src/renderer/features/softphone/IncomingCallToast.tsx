import { PhoneOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  selectCalls,
  selectPhoneSettings,
  selectRingingCall,
  useSoftphoneStore,
} from '../../stores/softphone';
import { selectScreenPop, useScreenPopStore } from '../../stores/screenPop';
import { PopOrderCard } from '../screen-pop/PopOrderCard';
import { hotkeyLabel } from './hotkey-label';
import { orderIdOf } from './sip/call-headers';
import { softphone } from './softphone';

/** A ringing call over whatever the agent is doing: who calls, about which order, answer or decline. */
export function IncomingCallToast() {
  const { t } = useTranslation();
  const call = useSoftphoneStore(selectRingingCall);
  const calls = useSoftphoneStore(selectCalls);
  const settings = useSoftphoneStore(selectPhoneSettings);
  const pop = useScreenPopStore(selectScreenPop);
  if (!call) return null;
  const callPop = pop?.callId === call.id ? pop : null;
  const topOrder = callPop?.identity?.kind === 'known' ? callPop.identity.ranked[0] : undefined;
  const orderId = orderIdOf(call.headers);
  const waiting = calls.some((other) => other.id !== call.id && other.status !== 'ringing');
  const extraHeaders = Object.entries(call.headers).filter(([name]) => name.toLowerCase() !== 'x-order-id');

  return (
    <section
      className="incoming-call-toast"
      role="alertdialog"
      aria-live="assertive"
      aria-label={t('softphone.incoming')}
      data-testid="incoming-call"
      data-call-id={call.id}
    >
      <div className="incoming-call-head">
        <PhoneOutlined className="incoming-call-icon" />
        <span>{waiting ? t('softphone.incomingWaiting') : t('softphone.incoming')}</span>
      </div>
      <div className="incoming-call-caller" data-testid="incoming-caller-name">
        {call.remoteName || call.remoteNumber}
      </div>
      {call.remoteName ? (
        <div className="incoming-call-number" data-testid="incoming-caller-number">
          {call.remoteNumber}
        </div>
      ) : null}
      {orderId ? (
        <div className="incoming-call-order" data-testid="incoming-order-id">
          {t('softphone.aboutOrder', { orderId })}
        </div>
      ) : null}
      {callPop?.status === 'identifying' ? (
        <div className="incoming-call-pop" data-testid="incoming-pop-identifying">
          {t('screenPop.identifying')}
        </div>
      ) : null}
      {callPop?.identity?.kind === 'known' ? (
        <div className="incoming-call-customer" data-testid="incoming-customer-name">
          {callPop.identity.customer.name}
        </div>
      ) : null}
      {topOrder ? <PopOrderCard ranked={topOrder} testId="incoming-pop-order" /> : null}
      {callPop?.identity?.kind === 'unknown' ? (
        <div className="incoming-call-pop" data-testid="incoming-pop-unknown">
          {t('screenPop.unknownCaller')}
        </div>
      ) : null}
      {extraHeaders.length > 0 ? (
        <dl className="incoming-call-headers">
          {extraHeaders.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      <div className="incoming-call-actions">
        <Button
          type="primary"
          className="incoming-call-answer"
          onClick={() => void softphone.answer(call.id)}
          data-testid="incoming-answer"
        >
          {waiting ? t('softphone.holdAndAnswer') : t('softphone.answer')}
          {settings ? <kbd>{hotkeyLabel(settings.hotkeys.answer)}</kbd> : null}
        </Button>
        <Button danger onClick={() => void softphone.decline(call.id)} data-testid="incoming-decline">
          {t('softphone.decline')}
          {settings ? <kbd>{hotkeyLabel(settings.hotkeys.hangUp)}</kbd> : null}
        </Button>
      </div>
    </section>
  );
}
