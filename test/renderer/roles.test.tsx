import { fakeHost, renderApp } from './renderApp';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../src/shared/demo';
import type { Order } from '../../src/shared/domain';
import type { Approval, TeamMember } from '../../src/shared/protocol';
import { DEFAULT_ROLE_LAYOUTS, type RoleView } from '../../src/shared/role-views';
import { ROLE_FIELD_POLICIES, visibleOrder } from '../../src/shared/visibility';
import { useOrdersStore } from '../../src/renderer/stores/orders';

/** Signs the fake desk in as a demo user of another role (the session event wins over the first answer). */
async function renderAs(username: (typeof DEMO_USERS)[number]['username']) {
  renderApp({ signedIn: true });
  const demo = DEMO_USERS.find((user) => user.username === username)!;
  act(() => {
    fakeHost.session = { user: { id: `usr_${username}`, ...demo }, gatewayUrl: 'ws://127.0.0.1:7400' };
    fakeHost.emit('session.changed', fakeHost.session);
  });
  await screen.findByTestId('order-search-input');
}

async function openOrder(id: string) {
  await act(() => useOrdersStore.getState().open(id));
  await screen.findByTestId('order-detail');
}

const tabOrder = () =>
  screen.queryAllByTestId(/^panel-tab-/).map((tab) => tab.dataset.testid!.replace('panel-tab-', ''));
const activeTab = () =>
  document.querySelector('.ant-tabs-tab-active [data-testid^="panel-tab-"]')?.getAttribute('data-testid');

/** Serves the order as the gateway would to `role`, with the real values kept for reveals. */
function asSeenBy(id: string, role: keyof typeof ROLE_FIELD_POLICIES): Order {
  const index = fakeHost.orders.findIndex((order) => order.id === id);
  const full = fakeHost.orders[index]!;
  fakeHost.revealValues.set(id, { 'customer.phone': full.customer.phone });
  fakeHost.orders[index] = visibleOrder(full, ROLE_FIELD_POLICIES[role]) as Order;
  return full;
}

describe('role layout engine', () => {
  it('shows every panel in the default order for frontline and opens on the overview', async () => {
    await renderAs('frontline');
    await openOrder('ord_1001');
    expect(tabOrder()).toEqual([
      'overview',
      'items',
      'logistics',
      'afterSales',
      'promotions',
      'history',
      'otherOrders',
    ]);
    expect(activeTab()).toBe('panel-tab-overview');
  });

  it('gives logistics its panels in its order, opens on logistics and leaves hidden fields out', async () => {
    await renderAs('logistics');
    await openOrder('ord_1001');
    await waitFor(() =>
      expect(tabOrder()).toEqual(['logistics', 'overview', 'items', 'history', 'otherOrders']),
    );
    expect(activeTab()).toBe('panel-tab-logistics');
    fireEvent.click(screen.getByTestId('panel-tab-overview'));
    const overview = await screen.findByTestId('order-overview');
    expect(within(overview).queryByTestId('field-payment.method')).toBeNull();
    expect(within(overview).queryByTestId('field-customer.email')).toBeNull();
    expect(within(overview).getByTestId('field-customer.phone')).toBeTruthy();
  });

  it('applies a view pushed live: hidden panel gone, the new first panel opened', async () => {
    await renderAs('logistics');
    await openOrder('ord_1001');
    await waitFor(() => expect(activeTab()).toBe('panel-tab-logistics'));
    const base = DEFAULT_ROLE_LAYOUTS.logistics;
    const view: RoleView = {
      role: 'logistics',
      version: 1,
      updatedAt: '2026-11-23T10:00:00.000Z',
      updatedBy: 'Sam Taylor',
      layout: {
        ...base,
        panels: [
          { id: 'history', visible: true },
          ...base.panels.filter((panel) => panel.id !== 'history' && panel.id !== 'logistics'),
          { id: 'logistics', visible: false },
        ],
        defaultPanel: 'history',
      },
    };
    act(() => fakeHost.pushView(view));
    await waitFor(() => expect(tabOrder()).toEqual(['history', 'overview', 'items', 'otherOrders']));
    expect(activeTab()).toBe('panel-tab-history');
  });

  it('offers only the actions of the view, in its order', async () => {
    await renderAs('frontline');
    fakeHost.views.set('frontline', {
      ...fakeHost.views.get('frontline')!,
      layout: { ...DEFAULT_ROLE_LAYOUTS.frontline, actions: ['note', 'refund'] },
    });
    act(() => fakeHost.emit('view.changed', fakeHost.views.get('frontline')!));
    await openOrder('ord_1001');
    await waitFor(() => expect(screen.getByTestId('action-bar').dataset.state).toBe('ready'));
    const buttons = within(screen.getByTestId('action-bar'))
      .getAllByRole('button')
      .map((button) => button.dataset.testid);
    expect(buttons).toEqual(['action-note', 'action-refund']);
  });
});

describe('masked fields and reveal', () => {
  it('shows a masked phone with a lock and reveals it for this order with a reason', async () => {
    await renderAs('frontline');
    const full = asSeenBy('ord_1001', 'frontline');
    await openOrder('ord_1001');
    const phone = screen.getByTestId('field-customer.phone');
    expect(phone.dataset.state).toBe('masked');
    expect(phone.textContent).toContain('*');
    expect(phone.textContent).not.toContain(full.customer.phone);

    fireEvent.click(within(phone).getByTestId('reveal-customer.phone'));
    fireEvent.change(await screen.findByTestId('reveal-reason'), { target: { value: 'cb' } });
    fireEvent.click(screen.getByTestId('reveal-confirm'));
    expect((await screen.findByTestId('reveal-reason-error')).textContent).toContain('at least 5');
    expect(fakeHost.callsOf('orders.reveal')).toHaveLength(0);

    fireEvent.change(screen.getByTestId('reveal-reason'), {
      target: { value: 'Customer asks for a callback' },
    });
    fireEvent.click(screen.getByTestId('reveal-confirm'));
    await waitFor(() => expect(screen.getByTestId('field-customer.phone').dataset.state).toBe('revealed'));
    expect(screen.getByTestId('field-customer.phone').textContent).toContain(full.customer.phone);
    expect(fakeHost.callsOf('orders.reveal')).toEqual([
      { orderId: 'ord_1001', field: 'customer.phone', reason: 'Customer asks for a callback' },
    ]);

    // Another order and back: the revealed value is gone (never stored).
    await openOrder('ord_1003');
    await openOrder('ord_1001');
    expect(screen.getByTestId('field-customer.phone').dataset.state).toBe('masked');
  });

  it('says a field the role lacks is not available, and offers no reveal where the role may not', async () => {
    await renderAs('frontline');
    asSeenBy('ord_1001', 'admin');
    await openOrder('ord_1001');
    const method = screen.getByTestId('field-payment.method');
    expect(method.dataset.state).toBe('hidden');
    expect(method.textContent).toBe('Not available to your role');
    expect(screen.getByTestId('field-customer.phone').dataset.state).toBe('masked');
    expect(screen.queryByTestId('reveal-customer.phone')).toBeNull();
  });
});

describe('co-browse by role', () => {
  it('is offered on the rail and by its shortcut to agents, never to admins', async () => {
    await renderAs('frontline');
    expect(screen.getByTestId('rail-cobrowse')).toBeTruthy();

    await renderAs('admin');
    expect(screen.queryByTestId('rail-cobrowse')).toBeNull();
    fireEvent.keyDown(window, { key: 'L', code: 'KeyL', ctrlKey: true, shiftKey: true });
    expect(screen.queryByTestId('cobrowse-join')).toBeNull();
  });
});

describe('view editor', () => {
  it('is offered to admins only', async () => {
    await renderAs('supervisor');
    expect(screen.queryByTestId('rail-view-editor')).toBeNull();
    expect(screen.getByTestId('rail-approvals')).toBeTruthy();
  });

  it('explains invalid layouts in words and saves a valid one with its version', async () => {
    await renderAs('admin');
    fireEvent.click(screen.getByTestId('rail-view-editor'));
    await screen.findByTestId('editor-panels');

    // Logistics opens on logistics: hiding that panel leaves nothing to open on.
    fireEvent.click(screen.getByTestId('editor-panels-logistics-visible'));
    expect((await screen.findByTestId('editor-issues')).textContent).toContain(
      'The panel it opens on must be shown.',
    );
    expect((screen.getByTestId('editor-save') as HTMLButtonElement).disabled).toBe(true);

    for (const id of ['overview', 'items', 'history', 'otherOrders']) {
      fireEvent.click(screen.getByTestId(`editor-panels-${id}-visible`));
    }
    expect(screen.getByTestId('editor-issues').textContent).toContain('Show at least one panel.');

    // Back to a valid view, then history moved first and promotions shown.
    fireEvent.click(screen.getByTestId('editor-reset'));
    await waitFor(() => expect(screen.queryByTestId('editor-issues')).toBeNull());
    for (let step = 0; step < 3; step += 1) fireEvent.click(screen.getByTestId('editor-panels-history-up'));
    fireEvent.click(screen.getByTestId('editor-panels-promotions-visible'));
    const preview = screen.getByTestId('editor-preview');
    expect(
      within(preview)
        .getAllByTestId(/^panel-tab-/)
        .map((tab) => tab.dataset.testid),
    ).toEqual([
      'panel-tab-history',
      'panel-tab-logistics',
      'panel-tab-overview',
      'panel-tab-items',
      'panel-tab-promotions',
      'panel-tab-otherOrders',
    ]);

    fireEvent.click(screen.getByTestId('editor-save'));
    await waitFor(() => expect(fakeHost.callsOf('views.save')).toHaveLength(1));
    const [saved] = fakeHost.callsOf('views.save') as Array<{ role: string; expectedVersion: number }>;
    expect(saved).toMatchObject({ role: 'logistics', expectedVersion: 0 });
    await waitFor(() => expect(fakeHost.views.get('logistics')!.version).toBe(1));
    expect(fakeHost.views.get('logistics')!.layout.panels[0]).toEqual({ id: 'history', visible: true });
  });
});

const approval = (overrides: Partial<Approval> = {}): Approval => ({
  id: 7,
  orderId: 'ord_1001',
  displayNumber: 'DM-1001',
  orderVersion: 3,
  action: { type: 'note', text: 'stand-in' } as Approval['action'],
  amount: { amount: 60_000, currency: 'CNY' },
  reasons: [],
  requestedBy: { id: 'usr_frontline', displayName: '林小雨 Lin Xiaoyu' },
  requestedAt: '2026-11-23T09:00:00.000Z',
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  decisionReason: null,
  eventSeq: null,
  ...overrides,
});

describe('approvals', () => {
  it('lists pending requests and rejects one only with a reason', async () => {
    await renderAs('supervisor');
    fakeHost.approvals = [approval()];
    fireEvent.click(screen.getByTestId('rail-approvals'));
    const row = await screen.findByTestId('approval-7');
    expect(row.textContent).toContain('DM-1001');
    expect(row.textContent).toContain('600.00');
    expect(row.textContent).toContain('Lin Xiaoyu');

    fireEvent.click(within(row).getByTestId('reject-7'));
    fireEvent.click(await screen.findByTestId('reject-confirm'));
    expect((await screen.findByRole('alert')).textContent).toContain('A rejection needs a reason');
    expect(fakeHost.callsOf('approvals.decide')).toHaveLength(0);

    fireEvent.change(screen.getByTestId('reject-reason'), { target: { value: 'Goods not returned yet' } });
    fireEvent.click(screen.getByTestId('reject-confirm'));
    const outcome = await screen.findByTestId('outcome-7');
    expect(outcome.textContent).toContain('Rejected');
    expect(outcome.textContent).toContain('Goods not returned yet');
    expect(fakeHost.callsOf('approvals.decide')).toEqual([
      { id: 7, decision: 'reject', reason: 'Goods not returned yet' },
    ]);
  });

  it('tells the requesting agent the outcome, with the reason when rejected', async () => {
    await renderAs('frontline');
    const decided = { id: 'usr_supervisor', displayName: '王静 Wang Jing' };
    act(() =>
      fakeHost.emit(
        'approval.changed',
        approval({ status: 'approved', decidedBy: decided, decidedAt: '2026-11-23T09:05:00.000Z' }),
      ),
    );
    const approved = await screen.findByText(/on order DM-1001 approved by 王静 Wang Jing/);
    expect(approved.textContent).toContain('600.00');
    act(() =>
      fakeHost.emit(
        'approval.changed',
        approval({
          id: 8,
          status: 'rejected',
          decidedBy: decided,
          decidedAt: '2026-11-23T09:06:00.000Z',
          decisionReason: 'Ask the customer for photos first',
        }),
      ),
    );
    expect(await screen.findByText(/rejected by 王静 Wang Jing/)).toBeTruthy();
    expect(await screen.findByText('Ask the customer for photos first')).toBeTruthy();
  });
});

describe('team view', () => {
  it("shows each agent's state in words, the masked number of a call, and reloads on team.changed", async () => {
    await renderAs('supervisor');
    const since = new Date(Date.now() - 65_000).toISOString();
    const member = (overrides: Partial<TeamMember>): TeamMember => ({
      userId: 'usr_frontline',
      displayName: '林小雨 Lin Xiaoyu',
      role: 'frontline',
      online: true,
      state: { state: 'available', reason: null, since },
      call: null,
      ...overrides,
    });
    fakeHost.team = [member({})];
    fireEvent.click(screen.getByTestId('rail-team'));
    const row = await screen.findByTestId('team-member-usr_frontline');
    expect(row.textContent).toContain('Available');
    expect(row.textContent).toContain('Frontline agent');

    fakeHost.team = [
      member({
        state: { state: 'on_call', reason: null, since },
        call: { remote: '+** *** **** 5678', since },
      }),
    ];
    act(() => fakeHost.emit('team.changed', {}));
    await waitFor(() =>
      expect(screen.getByTestId('team-member-usr_frontline').textContent).toContain('On call'),
    );
    const call = screen.getByTestId('team-call');
    expect(call.textContent).toContain('+** *** **** 5678');
    expect(call.textContent).toMatch(/01:0\d/);
  });
});
