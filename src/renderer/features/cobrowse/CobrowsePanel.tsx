import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  MinusCircleOutlined,
  StopOutlined,
  SyncOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { Alert, Button, Segmented, Spin, Tag, Tooltip } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  COBROWSE_END_REASONS,
  COBROWSE_REFUSAL_REASONS,
  type CobrowseEndReason,
  type CobrowseState,
  type ConsentLevel,
} from '../../../shared/cobrowse-protocol';
import { DeskError } from '../../../shared/errors';
import { selectCobrowse, useCobrowseStore, type ActiveCobrowse } from '../../stores/cobrowse';
import { askConsent, leaveCobrowse, sendToCustomer } from './cobrowse-session';
import { ReplayStage, type CobrowseTool, type StageNotice } from './ReplayStage';
import './cobrowse.css';

type ConsentStatus = 'granted' | 'asked' | 'declined' | 'none';

const STATE_COLOR: Record<CobrowseState, string> = {
  waiting_consent: 'processing',
  live: 'success',
  reconnecting: 'warning',
  ended: 'default',
  refused: 'error',
};

const STATE_ICON: Record<CobrowseState, ReactNode> = {
  waiting_consent: <ClockCircleOutlined />,
  live: <CheckCircleOutlined />,
  reconnecting: <SyncOutlined spin />,
  ended: <StopOutlined />,
  refused: <CloseCircleOutlined />,
};

const CONSENT_COLOR: Record<ConsentStatus, string> = {
  granted: 'success',
  asked: 'processing',
  declined: 'error',
  none: 'default',
};

const CONSENT_ICON: Record<ConsentStatus, ReactNode> = {
  granted: <CheckCircleOutlined />,
  asked: <ClockCircleOutlined />,
  declined: <CloseCircleOutlined />,
  none: <MinusCircleOutlined />,
};

function consentStatus(session: ActiveCobrowse, level: ConsentLevel): ConsentStatus {
  if (session.consent.includes(level)) return 'granted';
  if (level === 'view') {
    if (session.state === 'waiting_consent') return 'asked';
    return session.state === 'refused' ? 'declined' : 'none';
  }
  return session.asks[level] ?? 'none';
}

/** The co-browse session on screen: its state, the consent given, the tools and the live page. */
export function CobrowsePanel() {
  const session = useCobrowseStore(selectCobrowse);
  return session ? <SessionPanel session={session} /> : null;
}

function SessionPanel({ session }: { session: ActiveCobrowse }) {
  const { t } = useTranslation();
  const show = useCobrowseStore((state) => state.show);
  const close = useCobrowseStore((state) => state.close);
  const [tool, setTool] = useState<CobrowseTool>('pointer');
  const [notice, setNotice] = useState<StageNotice | null>(null);
  const refusalText = useRefusalText();
  const live = session.state === 'live';
  const over = session.state === 'ended' || session.state === 'refused';
  const canScroll = live && session.consent.includes('scroll');
  const canControl = live && session.consent.includes('control');

  // Control granted: clicks go to the page; control gone: back to pointing.
  const [controlSeen, setControlSeen] = useState(canControl);
  if (controlSeen !== canControl) {
    setControlSeen(canControl);
    setTool(canControl ? 'control' : tool === 'control' ? 'pointer' : tool);
  }
  const shownNotice = notice?.kind === 'scrollNeedsConsent' && canScroll ? null : notice;
  const chooseTool = (next: CobrowseTool) => {
    // The outline drawn on the customer's page goes with the highlight tool.
    if (tool === 'highlight' && next !== 'highlight') {
      sendToCustomer({ type: 'highlight', nodeId: null }).catch(() => undefined);
    }
    setTool(next);
  };

  const failed = (err: unknown) => setNotice({ kind: 'sendFailed', error: DeskError.from(err) });
  const consentTag = (level: ConsentLevel) => {
    const status = consentStatus(session, level);
    return (
      <Tag
        key={level}
        color={CONSENT_COLOR[status]}
        icon={CONSENT_ICON[status]}
        data-testid={`cobrowse-consent-${level}`}
        data-status={status}
      >
        {t(`cobrowse.consent.status.${status}`, { level: t(`cobrowse.consent.levels.${level}`) })}
      </Tag>
    );
  };

  const hint = (): ReactNode => {
    if (shownNotice?.kind === 'sendFailed')
      return t('cobrowse.sendFailed', { reason: refusalText(shownNotice.error) });
    if (shownNotice?.kind === 'scrollNeedsConsent') return t('cobrowse.toolHints.scrollNeedsConsent');
    if (session.controlReleased && !canControl)
      return t(`cobrowse.controlReleased.${session.controlReleased}`);
    // Not live: the tools do nothing yet, and the page's area says why.
    if (!live) return null;
    const scroll = canScroll ? ` ${t('cobrowse.toolHints.scroll')}` : '';
    return `${t(`cobrowse.toolHints.${tool}`)}${scroll}`;
  };

  return (
    <div className="cobrowse-panel" data-testid="cobrowse-panel" data-session-id={session.sessionId}>
      <div className="cobrowse-header">
        <Tag
          color={STATE_COLOR[session.state]}
          icon={STATE_ICON[session.state]}
          className="cobrowse-state"
          data-testid="cobrowse-state"
          data-state={session.state}
        >
          {t(`cobrowse.state.${session.state}`)}
        </Tag>
        <PageTitle session={session} />
        <LinkedTo session={session} />
        <Tooltip title={t('cobrowse.showSearch')}>
          <Button
            size="small"
            icon={<UnorderedListOutlined />}
            onClick={() => show('search')}
            data-testid="cobrowse-show-search"
          >
            {t('cobrowse.showSearch')}
          </Button>
        </Tooltip>
        {session.ended ? (
          <Button size="small" type="primary" onClick={close} data-testid="cobrowse-close">
            {t('cobrowse.close')}
          </Button>
        ) : (
          <Button
            size="small"
            danger
            icon={<StopOutlined />}
            onClick={() => void leaveCobrowse().catch(failed)}
            data-testid="cobrowse-end"
          >
            {t('cobrowse.end')}
          </Button>
        )}
      </div>
      {over ? null : (
        <div className="cobrowse-tools">
          <span className="cobrowse-consent" aria-label={t('cobrowse.consent.label')}>
            {consentTag('view')}
            {consentTag('scroll')}
            {session.consent.includes('scroll') ? null : (
              <Button
                size="small"
                disabled={!live || session.asks.scroll === 'asked'}
                onClick={() => void askConsent('scroll').catch(failed)}
                data-testid="cobrowse-ask-scroll"
              >
                {t('cobrowse.askScroll')}
              </Button>
            )}
            {consentTag('control')}
            {canControl ? (
              <Button
                size="small"
                onClick={() => void sendToCustomer({ type: 'release-control' }).catch(failed)}
                data-testid="cobrowse-release-control"
              >
                {t('cobrowse.releaseControl')}
              </Button>
            ) : (
              <Tooltip title={canScroll ? null : t('cobrowse.askScrollFirst')}>
                <Button
                  size="small"
                  disabled={!canScroll || session.asks.control === 'asked'}
                  onClick={() => void askConsent('control').catch(failed)}
                  data-testid="cobrowse-request-control"
                >
                  {t('cobrowse.requestControl')}
                </Button>
              </Tooltip>
            )}
          </span>
        </div>
      )}
      {over ? null : (
        <div className="cobrowse-toolbar">
          <Segmented<CobrowseTool>
            size="small"
            value={tool}
            onChange={chooseTool}
            aria-label={t('cobrowse.tools.label')}
            data-testid="cobrowse-tool"
            options={[
              { value: 'pointer', label: t('cobrowse.tools.pointer'), disabled: !live },
              { value: 'highlight', label: t('cobrowse.tools.highlight'), disabled: !live },
              { value: 'control', label: t('cobrowse.tools.control'), disabled: !canControl },
            ]}
          />
          <span
            className={shownNotice ? 'cobrowse-hint cobrowse-hint-warning' : 'cobrowse-hint'}
            role="status"
            data-testid="cobrowse-hint"
            data-notice={shownNotice?.kind}
          >
            {hint()}
          </span>
        </div>
      )}
      <div className="cobrowse-body">
        <ReplayStage
          sessionId={session.sessionId}
          live={live}
          hidden={over}
          tool={tool}
          canScroll={canScroll}
          canControl={canControl}
          onNotice={setNotice}
        />
        <StateCover session={session} />
      </div>
      <div className="cobrowse-legend" data-testid="cobrowse-legend" hidden={over}>
        <span className="cobrowse-legend-masked">{t('cobrowse.legend.masked')}</span>
        <span className="cobrowse-legend-hidden">
          <span className="cobrowse-legend-swatch" aria-hidden />
          {t('cobrowse.legend.hidden')}
        </span>
        <span>{t('cobrowse.legend.note')}</span>
      </div>
    </div>
  );
}

/** Why a message was refused, in the agent's words (main and the gateway give the same reasons). */
function useRefusalText(): (error: DeskError) => string {
  const { t } = useTranslation();
  return (error) => {
    const reason = error.details?.reasons?.[0];
    if (reason?.code === COBROWSE_REFUSAL_REASONS.consentNeeded) {
      const level = String(reason.params.level);
      const known = level === 'view' || level === 'scroll' || level === 'control';
      return t('cobrowse.refusals.consentNeeded', {
        level: known ? t(`cobrowse.consent.levels.${level}`) : level,
      });
    }
    if (reason?.code === COBROWSE_REFUSAL_REASONS.customerReconnecting)
      return t('cobrowse.refusals.reconnecting');
    return t(`errors.${error.code}`);
  };
}

function PageTitle({ session }: { session: ActiveCobrowse }) {
  const { t } = useTranslation();
  const page = session.page;
  if (!page)
    return <span className="cobrowse-page cobrowse-page-none">{t('cobrowse.stateHelp.noPage')}</span>;
  return (
    <Tooltip title={page.url}>
      <span className="cobrowse-page" data-testid="cobrowse-page">
        <span className="cobrowse-page-title">{page.title || page.url}</span>
        <span className="cobrowse-page-url">{shortUrl(page.url)}</span>
      </span>
    </Tooltip>
  );
}

function LinkedTo({ session }: { session: ActiveCobrowse }) {
  const { t } = useTranslation();
  const { number, interactionId, displayNumber, orderId } = session.link;
  const parts: string[] = [];
  if (interactionId) parts.push(t('cobrowse.linked', { number: number ?? '' }).trim());
  if (displayNumber ?? orderId) parts.push(t('cobrowse.linkedOrder', { order: displayNumber ?? orderId }));
  if (parts.length === 0) return null;
  return (
    <span className="cobrowse-linked" data-testid="cobrowse-linked">
      {parts.join(' · ')}
    </span>
  );
}

/** Over the page: what the agent waits for, or why there is nothing to see any more. */
function StateCover({ session }: { session: ActiveCobrowse }) {
  const { t } = useTranslation();
  if (session.state === 'waiting_consent') {
    return (
      <div className="cobrowse-cover" data-testid="cobrowse-cover" data-state={session.state}>
        <Spin />
        <span>{t('cobrowse.stateHelp.waiting_consent')}</span>
      </div>
    );
  }
  if (session.state === 'reconnecting') {
    return (
      <Alert
        className="cobrowse-cover-banner"
        type="warning"
        showIcon
        title={t('cobrowse.stateHelp.reconnecting')}
        data-testid="cobrowse-cover"
        data-state={session.state}
      />
    );
  }
  const ended = session.ended;
  if (session.state !== 'refused' && !ended) return null;
  const text = !ended
    ? t('cobrowse.stateHelp.refused')
    : isEndReason(ended.reason)
      ? t(`cobrowse.endReasons.${ended.reason}`)
      : t(`cobrowse.endedBy.${ended.by}`);
  return (
    <div className="cobrowse-cover" data-testid="cobrowse-cover" data-state={session.state}>
      <Alert type={ended ? 'info' : 'error'} showIcon title={text} data-testid="cobrowse-ended" />
    </div>
  );
}

const isEndReason = (reason: string): reason is CobrowseEndReason =>
  (COBROWSE_END_REASONS as readonly string[]).includes(reason);

/** The page's address without the scheme, shortened for the header. */
function shortUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return url;
  }
}
