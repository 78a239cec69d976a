import { fakeHost, renderApp } from './renderApp';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OfflineState } from '../../src/shared/offline';
import { cacheAge } from '../../src/renderer/features/offline/cache-age';
import { useOfflineStore } from '../../src/renderer/stores/offline';

const conflictTask: OfflineState = {
  queued: 0,
  tasks: [
    {
      id: 'key-0000-0001',
      orderId: 'ord_1001',
      displayNumber: 'DM-1001',
      action: 'cancel',
      status: 'conflict',
      reason: { code: 'VERSION_CONFLICT', reasons: [] },
      queuedAt: '2025-03-05T09:10:00.000Z',
      settledAt: '2025-03-05T09:30:00.000Z',
    },
    {
      id: 'key-0000-0002',
      orderId: 'ord_1003',
      displayNumber: null,
      action: 'return',
      status: 'rejected',
      reason: { code: 'NOT_ELIGIBLE', reasons: [{ code: 'ORDER_CANCELLED', params: {} }] },
      queuedAt: '2025-03-05T09:11:00.000Z',
      settledAt: '2025-03-05T09:30:00.000Z',
    },
  ],
};

describe('offline work in the renderer', () => {
  beforeEach(() => useOfflineStore.setState(useOfflineStore.getInitialState(), true));

  it('says since when the desk is offline, that reads are cached and how many changes wait', async () => {
    renderApp({ signedIn: true });
    await screen.findByTestId('order-search-input');
    expect(screen.queryByTestId('offline-banner')).toBeNull();
    act(() => {
      fakeHost.emit('offline.changed', { queued: 3, tasks: [] });
      fakeHost.emit('connection.changed', {
        status: 'offline',
        since: '2025-03-05T09:00:00.000Z',
        reason: { code: 'GATEWAY_UNAVAILABLE', message: 'down' },
      });
    });
    const banner = await screen.findByTestId('offline-banner');
    expect(banner.textContent).toContain('Order data offline since');
    expect(banner.textContent).toContain('cache');
    expect(screen.getByTestId('offline-queued').textContent).toBe('3 changes queued.');
    act(() =>
      fakeHost.emit('connection.changed', {
        status: 'online',
        since: new Date().toISOString(),
        reason: null,
      }),
    );
    await waitFor(() => expect(screen.queryByTestId('offline-banner')).toBeNull());
  });

  it('shows the age of an order read from the cache', async () => {
    renderApp({ signedIn: true });
    Object.assign(
      fakeHost.orders.find((order) => order.id === 'ord_1001')!,
      {
        cachedAt: new Date(Date.now() - 12 * 60_000).toISOString(),
      },
    );
    const input = await screen.findByTestId('order-search-input');
    fireEvent.change(input, { target: { value: 'DM-1001' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    fireEvent.click(await screen.findByText('DM-1001', { selector: '[data-testid="order-result-row"] *' }));
    expect((await screen.findByTestId('order-cache-age')).textContent).toBe('Cached 12 min ago');
  });

  it('lists refused offline changes with their reason, opens the order and marks one handled', async () => {
    renderApp({ signedIn: true });
    fakeHost.offlineState = structuredClone(conflictTask);
    act(() => fakeHost.emit('offline.changed', fakeHost.offlineState));
    const button = await screen.findByTestId('offline-tasks-button');
    expect(button.getAttribute('aria-label')).toBe('Offline tasks: 2 to review');
    fireEvent.click(button);

    const tasks = await screen.findAllByTestId('offline-task');
    expect(tasks).toHaveLength(2);
    expect(tasks[0]!.textContent).toContain('DM-1001');
    expect(tasks[0]!.textContent).toContain('Attempted: Cancel order');
    expect(tasks[0]!.textContent).toContain('Someone changed the order before this was sent');
    expect(tasks[1]!.textContent).toContain('Order no longer cached');
    expect(tasks[1]!.textContent).toContain('Not applied: This order is not eligible for that action.');

    fireEvent.click(screen.getAllByTestId('offline-task-dismiss')[1]!);
    await waitFor(() => expect(screen.getAllByTestId('offline-task')).toHaveLength(1));
    expect(fakeHost.callsOf('offline.dismissTask')).toEqual([{ id: 'key-0000-0002' }]);

    fireEvent.click(screen.getByTestId('offline-task-open'));
    expect((await screen.findByTestId('order-detail')).dataset.orderId).toBe('ord_1001');
  });

  it('names a cache age in minutes, hours or days', () => {
    const now = new Date('2025-03-05T12:00:00.000Z');
    expect(cacheAge('2025-03-05T11:59:30.000Z', now)).toEqual({ unit: 'justNow', count: 0 });
    expect(cacheAge('2025-03-05T11:48:00.000Z', now)).toEqual({ unit: 'minutes', count: 12 });
    expect(cacheAge('2025-03-05T09:00:00.000Z', now)).toEqual({ unit: 'hours', count: 3 });
    expect(cacheAge('2025-03-01T12:00:00.000Z', now)).toEqual({ unit: 'days', count: 4 });
  });
});
