import { fakeHost, renderApp } from './renderApp';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ActionRequest } from '../../src/shared/protocol';
import { useOrdersStore } from '../../src/renderer/stores/orders';

async function openNoteDialog(orderId: string) {
  renderApp({ signedIn: true });
  await screen.findByTestId('order-search-input');
  await act(() => useOrdersStore.getState().open(orderId));
  await waitFor(() => expect(screen.getByTestId('action-bar').dataset.state).toBe('ready'));
  fireEvent.click(screen.getByTestId('action-note'));
  fireEvent.change(await screen.findByTestId('action-note-text'), { target: { value: 'Call back at 6' } });
}

const sentActions = () => fakeHost.callsOf('orders.action') as ActionRequest[];

describe('order actions', () => {
  it('retries a submit lost on the way with the same idempotency key and the version first seen', async () => {
    await openNoteDialog('ord_1001');
    fakeHost.failures.set('orders.action', 'GATEWAY_UNAVAILABLE');
    fireEvent.click(screen.getByTestId('action-confirm'));
    expect((await screen.findByTestId('action-error')).textContent).toContain('cannot be reached');

    fakeHost.failures.delete('orders.action');
    fireEvent.click(screen.getByTestId('action-confirm'));
    await waitFor(() => expect(screen.queryByTestId('action-dialog')).toBeNull());
    const [first, retry] = sentActions();
    expect(retry!.idempotencyKey).toBe(first!.idempotencyKey);
    expect(retry!.expectedVersion).toBe(first!.expectedVersion);
    expect(fakeHost.orders.find((order) => order.id === 'ord_1001')!.notes.at(-1)?.text).toBe(
      'Call back at 6',
    );
  });

  it('shows a version conflict with the current order and loads it on request', async () => {
    await openNoteDialog('ord_1001');
    const stored = fakeHost.orders.find((order) => order.id === 'ord_1001')!;
    stored.notes.push({ at: '2025-03-06T08:00:00.000Z', author: 'Li Na', text: 'Refund promised' });
    stored.version += 1;

    fireEvent.click(screen.getByTestId('action-confirm'));
    const conflict = await screen.findByTestId('conflict-dialog');
    expect(conflict.dataset.version).toBe(String(stored.version));
    expect(within(conflict).getByTestId('conflict-last-note').textContent).toContain('Refund promised');
    fireEvent.click(screen.getByTestId('conflict-reload'));
    await waitFor(() =>
      expect(screen.getByTestId('order-detail').dataset.version).toBe(String(stored.version)),
    );
  });

  it('explains a disabled action with its reasons and the alternative', async () => {
    renderApp({ signedIn: true });
    await screen.findByTestId('order-search-input');
    // ord_1002 is not paid yet, so nothing was delivered to return.
    await act(() => useOrdersStore.getState().open('ord_1002'));
    await waitFor(() => expect(screen.getByTestId('action-bar').dataset.state).toBe('ready'));
    expect((screen.getByTestId('action-return') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.mouseEnter(screen.getByTestId('action-return-wrapper'));
    const why = await screen.findByTestId('action-why-return');
    expect(why.querySelector('[data-code="NOT_DELIVERED"]')?.textContent).toContain(
      'Returns and exchanges start after delivery',
    );
  });
});
