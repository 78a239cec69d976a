import { fakeHost, renderApp } from './renderApp';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useOfflineStore } from '../../src/renderer/stores/offline';

const rowIds = () => screen.queryAllByTestId('order-result-row').map((row) => row.dataset.orderId);

async function searchFor(text: string) {
  const input = await screen.findByTestId('order-search-input');
  fireEvent.change(input, { target: { value: text } });
  fireEvent.keyDown(input, { key: 'Enter' });
  return input;
}

describe('order search and detail', () => {
  it('lists the newest orders before anything is typed', async () => {
    renderApp({ signedIn: true });
    await waitFor(() => expect(rowIds()).toEqual(['ord_1003', 'ord_1002', 'ord_1001']));
  });

  it('renders matching rows and opens the clicked one in the detail pane', async () => {
    renderApp({ signedIn: true });
    await searchFor('zhang');
    await waitFor(() => expect(rowIds()).toEqual(['ord_1003', 'ord_1001']));

    const row = screen.getAllByTestId('order-result-row')[1]!;
    expect(row.textContent).toContain('DM-1001');
    expect(row.textContent).toContain('Shipped');
    expect(row.textContent).toContain('¥259.00');

    fireEvent.click(row);
    const detail = await screen.findByTestId('order-detail');
    expect(detail.dataset.orderId).toBe('ord_1001');
    expect(screen.getByTestId('order-detail-number').textContent).toBe('DM-1001');
    expect(screen.getByTestId('order-detail-status').textContent).toBe('Shipped');
    expect(detail.textContent).toContain('SF1234567890');
    expect(detail.textContent).toContain('Departed hub'); // the latest tracking event
    expect(detail.textContent).toContain('Longjing green tea 250 g');
    // A well-known payment code is shown in words, not as 'alipay'.
    expect(detail.textContent).toContain('Alipay');
    expect(detail.textContent).not.toContain('alipay');
  });

  it('opens a row with the arrow keys and Enter', async () => {
    renderApp({ signedIn: true });
    const input = await searchFor('');
    await waitFor(() => expect(rowIds()).toHaveLength(3));

    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'Enter' });

    expect((await screen.findByTestId('order-detail')).dataset.orderId).toBe('ord_1002');
  });

  it('never opens a row of results that belong to older text', async () => {
    renderApp({ signedIn: true });
    const input = await screen.findByTestId('order-search-input');
    await waitFor(() => expect(rowIds()).toHaveLength(3));

    // Typed fast: the rows on screen are still the newest orders when the keys arrive.
    fireEvent.change(input, { target: { value: '#1002' } });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(rowIds()).toEqual(['ord_1002']));
    expect(fakeHost.callsOf('orders.get')).toEqual([]);

    fireEvent.keyDown(input, { key: 'ArrowDown' });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect((await screen.findByTestId('order-detail')).dataset.orderId).toBe('ord_1002');
  });

  it('shows risk flags prominently', async () => {
    renderApp({ signedIn: true });
    await searchFor('#1002');
    await waitFor(() => expect(rowIds()).toEqual(['ord_1002']));
    fireEvent.click(screen.getByTestId('order-result-row'));

    const flags = await screen.findByTestId('order-detail-risk-flags');
    expect(within(flags).getByText('Payment retried')).toBeTruthy();
  });

  it('says so when nothing matches', async () => {
    renderApp({ signedIn: true });
    await searchFor('no such order');
    expect((await screen.findByTestId('order-search-empty')).textContent).toContain('no such order');
    expect(rowIds()).toEqual([]);
  });

  it('shows a failed search as a translated error', async () => {
    renderApp({ signedIn: true });
    await screen.findByTestId('order-search-input');
    fakeHost.failures.set('orders.search', 'GATEWAY_UNAVAILABLE');
    await searchFor('zhang');
    expect((await screen.findByTestId('order-search-error')).textContent).toContain(
      'The gateway cannot be reached',
    );
  });

  it('focuses the search box with Ctrl+K from anywhere', async () => {
    renderApp({ signedIn: true });
    const input = await screen.findByTestId('order-search-input');
    expect(document.activeElement).not.toBe(input);
    fireEvent.keyDown(document.body, { key: 'k', ctrlKey: true });
    expect(document.activeElement).toBe(input);
  });
});

describe('shell events', () => {
  it('shows the connection going offline, with the reason', async () => {
    renderApp({ signedIn: true });
    const status = await screen.findByTestId('connection-status');
    fakeHost.emit('connection.changed', {
      status: 'offline',
      since: new Date().toISOString(),
      reason: { code: 'GATEWAY_UNAVAILABLE', message: 'connect ECONNREFUSED' },
    });
    await waitFor(() => expect(status.dataset.status).toBe('offline'));
    expect(status.textContent).toBe('Offline: The gateway cannot be reached');
  });

  it('returns to the login screen when signed out', async () => {
    renderApp({ signedIn: true });
    fireEvent.click(await screen.findByTestId('logout'));
    expect(await screen.findByTestId('login-username')).toBeTruthy();
    expect(fakeHost.callsOf('session.logout')).toHaveLength(1);
  });

  it('asks before signing out while offline work is unsent, and staying keeps it', async () => {
    renderApp({ signedIn: true });
    await screen.findByTestId('logout');
    fakeHost.offlineState = { queued: 2, tasks: [] };
    fakeHost.emit('offline.changed', fakeHost.offlineState);
    await waitFor(() => expect(useOfflineStore.getState().queued).toBe(2));
    fireEvent.click(await screen.findByTestId('logout'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('2 change(s) not yet sent');
    fireEvent.click(within(dialog).getByText('Stay signed in'));
    // Still signed in: the shell is there and nothing was sent to main.
    expect(screen.getByTestId('logout')).toBeTruthy();
    expect(fakeHost.callsOf('session.logout')).toHaveLength(0);

    fireEvent.click(screen.getByTestId('logout'));
    await waitFor(() => expect(screen.getAllByText('Sign out anyway').length).toBeGreaterThan(0));
    fireEvent.click(screen.getAllByText('Sign out anyway').at(-1)!);
    expect(await screen.findByTestId('login-username')).toBeTruthy();
    expect(fakeHost.callsOf('session.logout')).toHaveLength(1);
  });
});
