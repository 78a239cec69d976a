import {
  AppstoreOutlined,
  GlobalOutlined,
  HistoryOutlined,
  SearchOutlined,
  SettingOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { requestSearchFocus } from '../features/orders/searchFocus';
import { cobrowseShortcutLabel, searchShortcutLabel } from './shortcuts';
import { openCobrowse } from '../features/cobrowse/useCobrowse';
import { useMayCobrowse } from '../features/cobrowse/may-cobrowse';
// ---- roles (ROLES-DESK) ----
import { AuditOutlined, LayoutOutlined, TeamOutlined } from '@ant-design/icons';
import { selectUser, useSessionStore } from '../stores/session';

interface RailItem {
  key: string;
  icon: ReactNode;
  label: string;
  active?: boolean;
  onClick?: () => void;
  /** Not built yet: shown disabled with a "coming soon" tooltip so the agent knows it is planned. */
  comingSoon?: boolean;
}

export type ShellView = 'workspace' | 'calls' | 'settings' | 'abnormal' | RoleShellView;
/** Supervisor and admin screens (ROLES-DESK). */
export type RoleShellView = 'team' | 'approvals' | 'viewEditor';

/** Narrow icon rail: the workspace, search, and the views still to come. */
export function LeftRail({ view, onNavigate }: { view: ShellView; onNavigate: (view: ShellView) => void }) {
  const { t } = useTranslation();
  const mayCobrowse = useMayCobrowse();
  const mainItems: RailItem[] = [
    {
      key: 'workspace',
      icon: <AppstoreOutlined />,
      label: t('rail.workspace'),
      active: view === 'workspace',
      onClick: () => onNavigate('workspace'),
    },
    {
      key: 'search',
      icon: <SearchOutlined />,
      label: t('rail.search', { shortcut: searchShortcutLabel }),
      onClick: () => {
        onNavigate('workspace');
        requestSearchFocus();
      },
    },
    {
      key: 'abnormal-orders',
      icon: <WarningOutlined />,
      label: t('rail.abnormalOrders'),
      active: view === 'abnormal',
      onClick: () => onNavigate('abnormal'),
    },
    {
      key: 'call-history',
      icon: <HistoryOutlined />,
      label: t('rail.callHistory'),
      active: view === 'calls',
      onClick: () => onNavigate('calls'),
    },
  ];
  if (mayCobrowse) {
    mainItems.push({
      key: 'cobrowse',
      icon: <GlobalOutlined />,
      label: t('cobrowse.rail', { shortcut: cobrowseShortcutLabel }),
      onClick: openCobrowse,
    });
  }
  // ---- roles (ROLES-DESK): supervisors and admins see the team and approvals; admins the view editor ----
  const role = useSessionStore(selectUser)?.role;
  const roleItem = (key: string, target: RoleShellView, icon: ReactNode, label: string): RailItem => ({
    key,
    icon,
    label,
    active: view === target,
    onClick: () => onNavigate(target),
  });
  if (role === 'supervisor' || role === 'admin') {
    mainItems.push(
      roleItem('team', 'team', <TeamOutlined />, t('roleViews.rail.team')),
      roleItem('approvals', 'approvals', <AuditOutlined />, t('roleViews.rail.approvals')),
    );
  }
  if (role === 'admin') {
    mainItems.push(roleItem('view-editor', 'viewEditor', <LayoutOutlined />, t('roleViews.rail.editor')));
  }
  // ---- end roles ----
  const footerItems: RailItem[] = [
    {
      key: 'settings',
      icon: <SettingOutlined />,
      label: t('rail.settings'),
      active: view === 'settings',
      onClick: () => onNavigate('settings'),
    },
  ];

  return (
    <nav className="left-rail" aria-label={t('rail.label')}>
      {mainItems.map((item) => (
        <RailButton key={item.key} item={item} />
      ))}
      <span className="left-rail-spacer" />
      {footerItems.map((item) => (
        <RailButton key={item.key} item={item} />
      ))}
    </nav>
  );
}

function RailButton({ item }: { item: RailItem }) {
  const { t } = useTranslation();
  return (
    <Tooltip
      placement="right"
      title={item.comingSoon ? t('rail.comingSoon', { feature: item.label }) : item.label}
    >
      <Button
        type="text"
        icon={item.icon}
        aria-label={item.label}
        aria-current={item.active ? 'page' : undefined}
        className={item.active ? 'left-rail-item left-rail-item-active' : 'left-rail-item'}
        disabled={item.comingSoon}
        onClick={item.onClick}
        data-testid={`rail-${item.key}`}
      />
    </Tooltip>
  );
}
