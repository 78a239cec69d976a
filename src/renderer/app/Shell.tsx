import { useState } from 'react';
import type { AgentUser } from '../../shared/domain';
import { AfterCallWorkBar } from '../features/agent-state/AfterCallWorkBar';
import { OrdersWorkspace } from '../features/orders/OrdersWorkspace';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { CallHistoryView } from '../features/softphone/CallHistoryView';
import { IncomingCallToast } from '../features/softphone/IncomingCallToast';
import { PhoneNoticeMessages } from '../features/softphone/PhoneNoticeMessages';
import { PhoneOfflineBanner } from '../features/softphone/PhoneOfflineBanner';
import { useScreenPop } from '../features/screen-pop/useScreenPop';
import { useSoftphone } from '../features/softphone/useSoftphone';
import { LeftRail, type ShellView } from './LeftRail';
import { TopBar } from './TopBar';
import { useSearchHotkey } from './useSearchHotkey';

/**
 * The signed-in layout: top bar, phone and after-call-work bars, left rail and the current
 * view, sized to the window (no page scroll). The incoming-call toast floats over everything.
 */
export function Shell({ user }: { user: AgentUser }) {
  useSearchHotkey();
  useSoftphone();
  useScreenPop();
  const [view, setView] = useState<ShellView>('workspace');
  return (
    <div className="shell">
      <TopBar user={user} />
      <PhoneOfflineBanner />
      <AfterCallWorkBar />
      <div className="shell-body">
        <LeftRail view={view} onNavigate={setView} />
        <main className="shell-workspace">
          {/* The workspace stays mounted behind settings: its search and open order survive. */}
          <div className="shell-view" hidden={view !== 'workspace'}>
            <OrdersWorkspace />
          </div>
          {view === 'calls' ? <CallHistoryView /> : null}
          {view === 'settings' ? <SettingsScreen /> : null}
        </main>
      </div>
      <IncomingCallToast />
      <PhoneNoticeMessages />
    </div>
  );
}
