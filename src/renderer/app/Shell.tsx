import { useEffect, useState } from 'react';
import type { AgentUser } from '../../shared/domain';
import { AfterCallWorkBar } from '../features/agent-state/AfterCallWorkBar';
import { OrdersWorkspace } from '../features/orders/OrdersWorkspace';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { CallHistoryView } from '../features/softphone/CallHistoryView';
import { IncomingCallToast } from '../features/softphone/IncomingCallToast';
import { PhoneNoticeMessages } from '../features/softphone/PhoneNoticeMessages';
import { PhoneOfflineBanner } from '../features/softphone/PhoneOfflineBanner';
import { OfflineBanner } from '../features/offline/OfflineBanner';
import { useOfflineWork } from '../features/offline/useOfflineWork';
import { useScreenPop } from '../features/screen-pop/useScreenPop';
import { useSoftphone } from '../features/softphone/useSoftphone';
import { AbnormalOrdersView } from '../features/abnormal-orders/AbnormalOrdersView';
import { selectOpenOrder, useOrdersStore } from '../stores/orders';
import { LeftRail, type ShellView } from './LeftRail';
import { TopBar } from './TopBar';
// ---- roles (ROLES-DESK) ----
import { ViewEditor } from '../features/roles/ViewEditor';
import { useRoleView } from '../features/roles/useRoleView';
import { ApprovalQueue } from '../features/supervisor/ApprovalQueue';
import { TeamView } from '../features/supervisor/TeamView';
import { useSearchHotkey } from './useSearchHotkey';
// ---- co-browse ----
import { CobrowseJoinDialog } from '../features/cobrowse/CobrowseJoinDialog';
import { useCobrowse } from '../features/cobrowse/useCobrowse';
import { useCobrowseStore } from '../stores/cobrowse';

/**
 * The signed-in layout: top bar, phone and after-call-work bars, left rail and the current
 * view, sized to the window (no page scroll). The incoming-call toast floats over everything.
 */
export function Shell({ user }: { user: AgentUser }) {
  useSearchHotkey();
  useSoftphone();
  useScreenPop();
  useOfflineWork();
  useRoleView(user);
  useCobrowse();
  const [view, setView] = useState<ShellView>('workspace');
  const openOrder = useOrdersStore(selectOpenOrder);
  // A session joined, or brought back: the workspace shows it beside the order.
  useEffect(
    () =>
      useCobrowseStore.subscribe((state, previous) => {
        if (state.revealed !== previous.revealed) setView('workspace');
      }),
    [],
  );
  return (
    <div className="shell">
      <TopBar user={user} />
      <PhoneOfflineBanner />
      <OfflineBanner />
      <AfterCallWorkBar />
      <div className="shell-body">
        <LeftRail view={view} onNavigate={setView} />
        <main className="shell-workspace">
          {/* The workspace stays mounted behind settings: its search and open order survive. */}
          <div className="shell-view" hidden={view !== 'workspace'}>
            <OrdersWorkspace />
          </div>
          {view === 'abnormal' ? (
            <AbnormalOrdersView
              onOpenOrder={(orderId) => {
                void openOrder(orderId);
                setView('workspace');
              }}
            />
          ) : null}
          {view === 'calls' ? <CallHistoryView /> : null}
          {view === 'settings' ? <SettingsScreen /> : null}
          {/* roles (ROLES-DESK) */}
          {view === 'team' ? <TeamView /> : null}
          {view === 'approvals' ? <ApprovalQueue /> : null}
          {view === 'viewEditor' ? <ViewEditor /> : null}
        </main>
      </div>
      <IncomingCallToast />
      <PhoneNoticeMessages />
      <CobrowseJoinDialog />
    </div>
  );
}
