import { DownOutlined } from '@ant-design/icons';
import { App as AntApp, Button, Dropdown, theme, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { AWAY_REASONS, type AgentStateName, type AwayReason } from '../../../shared/agent-state';
import {
  selectAgentStatus,
  selectChooseAvailable,
  selectChooseAway,
  useAgentStateStore,
} from '../../stores/agentState';
import { CallTimer } from '../softphone/CallTimer';
import { AcwCountdown } from './AcwCountdown';

/** The agent's state in the top bar: pick available or away (with a reason); on call and ACW are shown. */
export function AgentStateSelector() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { token } = theme.useToken();
  const status = useAgentStateStore(selectAgentStatus);
  const chooseAvailable = useAgentStateStore(selectChooseAvailable);
  const chooseAway = useAgentStateStore(selectChooseAway);
  const colour: Record<AgentStateName, string> = {
    available: token.colorSuccess,
    on_call: token.colorError,
    after_call_work: token.colorWarning,
    away: token.colorPrimary,
  };

  const items: MenuProps['items'] = [
    { key: 'available', label: t('agentState.states.available') },
    {
      key: 'away',
      label: t('agentState.states.away'),
      children: AWAY_REASONS.map((reason) => ({
        key: `away:${reason}`,
        label: t(`agentState.awayReasons.${reason}`),
      })),
    },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    const refusal = key === 'available' ? chooseAvailable() : chooseAway(key.split(':')[1] as AwayReason);
    if (refusal) void message.warning(t(`agentState.refused.${refusal}`));
  };

  return (
    <Dropdown menu={{ items, onClick, selectable: false }} trigger={['click']}>
      <Button size="small" className="agent-state-button" data-testid="agent-state" data-state={status.state}>
        <span className="connection-dot" style={{ background: colour[status.state] }} aria-hidden />
        <span>
          {status.state === 'away' && status.reason
            ? `${t('agentState.states.away')} · ${t(`agentState.awayReasons.${status.reason}`)}`
            : t(`agentState.states.${status.state}`)}
        </span>
        {status.state === 'after_call_work' && status.acw ? (
          <AcwCountdown endsAt={status.acw.endsAt} />
        ) : null}
        {status.state === 'away' ? <CallTimer from={status.since} /> : null}
        <DownOutlined />
      </Button>
    </Dropdown>
  );
}
