import type { AgentUser } from '../../shared/domain';
import { OrdersWorkspace } from '../features/orders/OrdersWorkspace';
import { LeftRail } from './LeftRail';
import { TopBar } from './TopBar';
import { useSearchHotkey } from './useSearchHotkey';

/** The signed-in layout: top bar, left rail and the workspace, sized to the window (no page scroll). */
export function Shell({ user }: { user: AgentUser }) {
  useSearchHotkey();
  return (
    <div className="shell">
      <TopBar user={user} />
      <div className="shell-body">
        <LeftRail />
        <main className="shell-workspace">
          <OrdersWorkspace />
        </main>
      </div>
    </div>
  );
}
