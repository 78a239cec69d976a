import { fakeHost, renderApp } from './renderApp';
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createBridge, unwrapBridge } from '../../src/shared/contract-client';
import { identifyCaller } from '../../src/renderer/features/screen-pop/identify-caller';
import type { PhoneCall } from '../../src/renderer/features/softphone/phone-call';
import { useOrdersStore } from '../../src/renderer/stores/orders';
import { useSoftphoneStore } from '../../src/renderer/stores/softphone';

const NOW = new Date('2025-03-06T09:00:00.000Z');
const orders = () => unwrapBridge(createBridge(fakeHost.transport)).orders;
const signedIn = () => fakeHost.reset({ signedIn: true });

describe('identifyCaller', () => {
  it('takes the customer from the order named in X-Order-Id, and ranks that order first', async () => {
    signedIn();
    const identity = await identifyCaller(
      { remoteNumber: '3001', headers: { 'X-Order-Id': 'DM-1001' } },
      orders(),
      NOW,
    );
    expect(identity).toMatchObject({ kind: 'known', customer: { id: 'cus_1' } });
    if (identity.kind !== 'known') return;
    expect(identity.ranked[0]!.order.id).toBe('ord_1001');
    expect(identity.ranked[0]!.reasons[0]).toEqual({
      code: 'ORDER_NUMBER_FROM_IVR',
      params: { displayNumber: 'DM-1001' },
    });
  });

  it('matches a national caller number to the customer with that E.164 phone', async () => {
    signedIn();
    const identity = await identifyCaller({ remoteNumber: '13900139000', headers: {} }, orders(), NOW);
    expect(identity).toMatchObject({ kind: 'known', customer: { id: 'cus_3' } });
  });

  it('takes X-Customer-Id over the caller number', async () => {
    signedIn();
    const identity = await identifyCaller(
      { remoteNumber: '13900139000', headers: { 'X-Customer-Id': 'cus_2' } },
      orders(),
      NOW,
    );
    expect(identity).toMatchObject({ kind: 'known', customer: { id: 'cus_2' } });
  });

  it('never takes a near match: an unknown number is a search for it in E.164', async () => {
    signedIn();
    // Shares the last digits with 张伟's +8613800138000, but is another number.
    expect(await identifyCaller({ remoteNumber: '13700138000', headers: {} }, orders(), NOW)).toEqual({
      kind: 'unknown',
      searchText: '+8613700138000',
    });
  });

  it('treats an extension or an order number nobody has as unknown', async () => {
    signedIn();
    expect(
      await identifyCaller({ remoteNumber: '3001', headers: { 'X-Order-Id': 'NO-SUCH' } }, orders(), NOW),
    ).toEqual({ kind: 'unknown', searchText: '3001' });
  });
});

const ringing: PhoneCall = {
  id: 'call-pop',
  direction: 'inbound',
  remoteNumber: '+8613900139000',
  remoteName: '',
  headers: {},
  status: 'ringing',
  muted: false,
  startedAt: '2025-03-05T09:00:00.000Z',
  answeredAt: null,
  endedAt: null,
  endReason: null,
  consultFor: null,
};

describe('screen pop in the shell', () => {
  it('shows the top order in the ringing toast and opens it in the workspace', async () => {
    renderApp({ signedIn: true });
    await screen.findByTestId('agent-state');
    act(() => useSoftphoneStore.getState().upsertCall(ringing));
    const toast = await screen.findByTestId('incoming-call');
    const card = await within(toast).findByTestId('incoming-pop-order');
    expect(card.dataset.orderId).toBe('ord_1003');
    expect(within(toast).getByTestId('incoming-customer-name').textContent).toBe('Zhang Min');
    await waitFor(() => expect(useOrdersStore.getState().selectedId).toBe('ord_1003'));
    expect((await screen.findByTestId('caller-card')).dataset.state).toBe('known');
  });

  it('rings the toast in the render the ringing call causes, while the caller lookup still waits', async () => {
    renderApp({ signedIn: true });
    await screen.findByTestId('agent-state');
    const release = fakeHost.hold('orders.search');
    act(() => useSoftphoneStore.getState().upsertCall(ringing));
    // getBy, not findBy: nothing the lookup awaits may stand between the call and the toast.
    const toast = screen.getByTestId('incoming-call');
    expect(within(toast).getByTestId('incoming-caller-name').textContent).toBe(ringing.remoteNumber);
    expect(within(toast).getByTestId('incoming-pop-identifying')).toBeTruthy();
    release();
    expect((await within(toast).findByTestId('incoming-pop-order')).dataset.orderId).toBe('ord_1003');
  });

  it("commits the toast's order card before the workspace renders that order behind it", async () => {
    renderApp({ signedIn: true });
    await screen.findByTestId('agent-state');
    // The order the detail pane showed in the DOM the card first appeared in (null: none).
    let detailWithCard: string | null | undefined;
    const observer = new MutationObserver(() => {
      if (detailWithCard !== undefined || !document.querySelector('[data-testid="incoming-pop-order"]')) {
        return;
      }
      detailWithCard =
        document.querySelector<HTMLElement>('[data-testid="order-detail"]')?.dataset.orderId ?? null;
    });
    observer.observe(document.body, { childList: true, subtree: true });
    act(() => useSoftphoneStore.getState().upsertCall(ringing));
    await screen.findByTestId('incoming-pop-order');
    observer.disconnect();
    expect(detailWithCard).toBeNull();
    await waitFor(() => expect(screen.getByTestId('order-detail').dataset.orderId).toBe('ord_1003'));
  });

  it('pre-fills the search with an unknown number', async () => {
    renderApp({ signedIn: true });
    await screen.findByTestId('agent-state');
    act(() =>
      useSoftphoneStore
        .getState()
        .upsertCall({ ...ringing, id: 'call-unknown', remoteNumber: '13700138000' }),
    );
    expect(await screen.findByTestId('incoming-pop-unknown')).toBeTruthy();
    await waitFor(() =>
      expect((screen.getByTestId('order-search-input') as HTMLInputElement).value).toBe('+8613700138000'),
    );
    expect(screen.queryByTestId('caller-name')).toBeNull();
  });
});
