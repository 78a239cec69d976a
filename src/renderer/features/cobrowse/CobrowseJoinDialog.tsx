import { Alert, Button, Input, Modal, type InputRef } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DeskError, type ErrorCode } from '../../../shared/errors';
import { selectJoinOpen, useCobrowseStore } from '../../stores/cobrowse';
import { selectConnection, useSessionStore } from '../../stores/session';
import { currentLink, joinCobrowse } from './cobrowse-session';

/** What the agent typed or pasted, as the 6 digits of a code ("123 456", "123-456" included). */
export function codeDigits(text: string): string {
  return text.replace(/\D/g, '').slice(0, 6);
}

/** A refused join as the dialog explains it. */
type JoinProblem = 'incomplete' | 'notFound' | 'tooMany' | 'forbidden' | 'gatewayDown' | ErrorCode;

function problemOf(code: ErrorCode): JoinProblem {
  switch (code) {
    case 'NOT_FOUND':
      return 'notFound';
    case 'RATE_LIMITED':
      return 'tooMany';
    case 'FORBIDDEN':
      return 'forbidden';
    case 'BAD_REQUEST':
      return 'incomplete';
    case 'GATEWAY_UNAVAILABLE':
    case 'TIMEOUT':
    case 'NOT_SIGNED_IN':
      return 'gatewayDown';
    default:
      return code;
  }
}

/** Waiting this long when the gateway limits wrong codes without saying for how long. */
const DEFAULT_WAIT_MS = 60_000;

/** Join by the customer's code: opened from the rail, the call bar or Ctrl/Cmd+Shift+L. */
export function CobrowseJoinDialog() {
  const open = useCobrowseStore(selectJoinOpen);
  // Mounted only while open: every opening starts empty, linked to what is on screen then.
  return open ? <JoinDialog /> : null;
}

function JoinDialog() {
  const { t } = useTranslation();
  const close = useCobrowseStore((state) => state.closeJoin);
  const connection = useSessionStore(selectConnection);
  const [link] = useState(currentLink);
  const input = useRef<InputRef>(null);
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<JoinProblem | null>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (waitUntil === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waitUntil]);

  const waitSeconds = waitUntil === null ? 0 : Math.max(0, Math.ceil((waitUntil - now) / 1000));
  const waiting = problem === 'tooMany' && waitSeconds > 0;
  const offline = connection.status !== 'online';
  const shown: JoinProblem | null = problem === 'tooMany' && !waiting ? null : problem;

  const submit = async () => {
    if (busy || waiting || offline) return;
    if (code.length !== 6) {
      setProblem('incomplete');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await joinCobrowse(code, link);
    } catch (err) {
      const error = DeskError.from(err);
      const next = problemOf(error.code);
      const failedAt = Date.now();
      setNow(failedAt);
      setWaitUntil(next === 'tooMany' ? failedAt + (error.details?.retryAfterMs ?? DEFAULT_WAIT_MS) : null);
      setProblem(next);
      setBusy(false);
      input.current?.focus({ cursor: 'all' });
    }
  };

  const linkText =
    link.interactionId && link.displayNumber
      ? t('cobrowse.join.linkedCallOrder', { number: link.number, order: link.displayNumber })
      : link.interactionId
        ? t('cobrowse.join.linkedCall', { number: link.number })
        : link.displayNumber
          ? t('cobrowse.join.linkedOrder', { order: link.displayNumber })
          : t('cobrowse.join.notLinked');

  const problemText = (which: JoinProblem): string => {
    switch (which) {
      case 'incomplete':
      case 'notFound':
      case 'forbidden':
      case 'gatewayDown':
        return t(`cobrowse.join.errors.${which}`);
      case 'tooMany':
        return t('cobrowse.join.errors.tooMany', { count: waitSeconds });
      default:
        return t('cobrowse.join.errors.other', { reason: t(`errors.${which}`) });
    }
  };

  return (
    <Modal
      open
      width={420}
      title={t('cobrowse.join.title')}
      onCancel={close}
      destroyOnHidden
      afterOpenChange={(opened) => {
        if (opened) input.current?.focus();
      }}
      footer={
        <div className="cobrowse-join-footer">
          <span className="cobrowse-join-keys">{t('cobrowse.join.enterJoins')}</span>
          <Button onClick={close} data-testid="cobrowse-join-cancel">
            {t('cobrowse.join.cancel')}
          </Button>
          <Button
            type="primary"
            loading={busy}
            disabled={waiting || offline}
            onClick={() => void submit()}
            data-testid="cobrowse-join-submit"
          >
            {t('cobrowse.join.submit')}
          </Button>
        </div>
      }
    >
      <div className="cobrowse-join" data-testid="cobrowse-join">
        <p className="cobrowse-join-hint">{t('cobrowse.join.hint')}</p>
        <Input
          ref={input}
          autoFocus
          value={code}
          onChange={(event) => {
            setCode(codeDigits(event.target.value));
            if (problem === 'incomplete' || problem === 'notFound') setProblem(null);
          }}
          onPressEnter={() => void submit()}
          inputMode="numeric"
          autoComplete="one-time-code"
          placeholder="000000"
          aria-label={t('cobrowse.join.code')}
          status={shown ? 'error' : undefined}
          className="cobrowse-code-input"
          data-testid="cobrowse-code"
        />
        <div className="cobrowse-join-link" data-testid="cobrowse-join-link">
          {linkText}
        </div>
        {offline ? (
          <Alert
            type="warning"
            showIcon
            title={t('cobrowse.join.offline')}
            data-testid="cobrowse-join-offline"
          />
        ) : shown ? (
          <Alert
            type="error"
            showIcon
            title={problemText(shown)}
            data-testid="cobrowse-join-error"
            data-problem={shown}
          />
        ) : null}
      </div>
    </Modal>
  );
}
