import { Alert, Button, Empty, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../roles/roles.css';
import type { AgentStateName } from '../../../shared/agent-state';
import { DeskError } from '../../../shared/errors';
import type { TeamMember } from '../../../shared/protocol';
import { desk } from '../../app/desk';
import { useFormat } from '../../i18n/useFormat';

/** How often the team reloads when no 'team.changed' arrives (a fallback, not the main path). */
export const TEAM_POLL_MS = 10_000;

const STATE_COLOURS: Record<AgentStateName, string> = {
  available: 'green',
  on_call: 'red',
  after_call_work: 'gold',
  away: 'default',
};

/** mm:ss (h:mm:ss past an hour) since `since`. */
export function elapsed(since: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** The supervisor's team: each agent's state (colour and words), since when, and current call. */
export function TeamView() {
  const { t } = useTranslation();
  const format = useFormat();
  const [members, setMembers] = useState<TeamMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const load = useCallback(
    () =>
      desk.team.list().then(
        (result) => {
          setMembers(result.members);
          setError(null);
        },
        (err: unknown) => setError(t(`errors.${DeskError.from(err).code}`)),
      ),
    [t],
  );

  useEffect(() => {
    void load();
    const off = desk.on('team.changed', () => void load());
    const poll = setInterval(() => void load(), TEAM_POLL_MS);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      off();
      clearInterval(poll);
      clearInterval(tick);
    };
  }, [load]);

  return (
    <section className="supervisor-view" data-testid="team-view" aria-label={t('roleViews.team.title')}>
      <header className="supervisor-view-header">
        <h2>{t('roleViews.team.title')}</h2>
        <Button size="small" onClick={() => void load()}>
          {t('roleViews.refresh')}
        </Button>
      </header>
      {error ? <Alert type="error" showIcon title={t('roleViews.loadFailed', { reason: error })} /> : null}
      {members && members.length === 0 ? <Empty description={t('roleViews.team.empty')} /> : null}
      {members && members.length > 0 ? (
        <table className="supervisor-table supervisor-table-team">
          <thead>
            <tr>
              <th>{t('roleViews.team.agent')}</th>
              <th>{t('roleViews.team.role')}</th>
              <th>{t('roleViews.team.state')}</th>
              <th>{t('roleViews.team.since')}</th>
              <th>{t('roleViews.team.call')}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={member.userId} data-testid={`team-member-${member.userId}`}>
                <td className="supervisor-key">{member.displayName}</td>
                <td>{t(`roles.${member.role}`)}</td>
                <td>
                  {!member.online ? (
                    <Tag>{t('roleViews.team.offline')}</Tag>
                  ) : member.state ? (
                    <Tag color={STATE_COLOURS[member.state.state]} data-state={member.state.state}>
                      {t(`agentState.states.${member.state.state}`)}
                      {member.state.reason ? ` · ${t(`agentState.awayReasons.${member.state.reason}`)}` : ''}
                    </Tag>
                  ) : (
                    <Tag>{t('roleViews.team.unknown')}</Tag>
                  )}
                </td>
                <td>{member.state ? format.time(member.state.since) : '—'}</td>
                <td>
                  {member.call ? (
                    <span data-testid="team-call">
                      {member.call.remote} · {elapsed(member.call.since, now)}
                    </span>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
