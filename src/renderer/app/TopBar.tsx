import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AgentUser } from '../../shared/domain';
import { AgentStateSelector } from '../features/agent-state/AgentStateSelector';
import { CallControls } from '../features/softphone/CallControls';
import { DialBox } from '../features/softphone/DialBox';
import { PhoneStatusIndicator } from '../features/softphone/PhoneStatusIndicator';
import { OfflineTasksButton } from '../features/offline/OfflineTasksButton';
import { ConnectionStatusIndicator } from './ConnectionStatusIndicator';
import { LanguageSwitch } from './LanguageSwitch';
import { SignOutButton } from './SignOutButton';

/**
 * Product name, agent state, phone and data status, the current call's controls, who is signed
 * in, language and sign out.
 */
export function TopBar({ user }: { user: AgentUser }) {
  const { t } = useTranslation();
  return (
    <header className="top-bar">
      <span className="top-bar-product">{t('app.name')}</span>
      <AgentStateSelector />
      <PhoneStatusIndicator />
      <ConnectionStatusIndicator />
      <OfflineTasksButton />
      <CallControls />
      <DialBox />
      <span className="top-bar-spacer" />
      <span className="top-bar-agent">
        <span data-testid="topbar-agent-name">{user.displayName}</span>
        <Tag variant="outlined">{t(`roles.${user.role}`)}</Tag>
      </span>
      <LanguageSwitch />
      <SignOutButton />
    </header>
  );
}
