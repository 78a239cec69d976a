import { fakeHost, renderApp } from './renderApp';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../src/shared/domain';
import { useOrdersStore } from '../../src/renderer/stores/orders';
import { fixtureOrders } from './fixtures';

const rows = () => screen.queryAllByTestId('order-result-row');
const rowIds = () => rows().map((row) => row.dataset.orderId);
const cachedMarks = () => rows().map((row) => row.dataset.cached);

async function searchFor(text: string) {
  const input = await screen.findByTestId('order-search-input');
  fireEvent.change(input, { target: { value: text } });
  fireEvent.keyDown(input, { key: 'Enter' });
  return input;
}

/** A fixture order as this computer cached it earlier (an older version, as the role saw it). */
function cachedVersionOf(id: string, changes: Partial<Order> = {}): Order {
  const order = structuredClone(fixtureOrders.find((candidate) => candidate.id === id)!);
  return { ...order, ...changes };
}

async function signedInWithNewestListed() {
  renderApp({ signedIn: true });
  await waitFor(() => expect(rowIds()).toEqual(['ord_1003', 'ord_1002', 'ord_1001']));
}

describe('search: the cache first, then the gateway', () => {
  it('shows cached matches at once, marked, and the gateway rows replace them when it answers', async () => {
    await signedInWithNewestListed();
    fakeHost.cachedOrders = [
      cachedVersionOf('ord_1001', { status: 'paid' }),
      // Cached earlier, no longer a match on the gateway: gone once it answers.
      cachedVersionOf('ord_1001', { id: 'ord_0900', displayNumber: 'DM-0900' }),
    ];
    fakeHost.cachedOrdersAt = new Date(Date.now() - 3 * 60 * 60_000 - 60_000).toISOString();
    const release = fakeHost.hold('orders.search');
    const input = await searchFor('zhang');

    await waitFor(() => expect(rowIds()).toEqual(['ord_1001', 'ord_0900']));
    expect(cachedMarks()).toEqual(['true', 'true']);
    // Each cached row says how old this computer's copy is.
    expect(screen.getAllByTestId('order-row-cached')[0]!.textContent).toContain('Cached 3h');
    expect(rows()[0]!.textContent).toContain('Paid');
    const note = screen.getByTestId('order-search-source');
    expect(note.dataset.state).toBe('checking');
    expect(note.textContent).toContain('checking with the server');
    // Cached rows of the current text can be walked with the keys already.
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(rows()[0]!.className).toContain('order-row-highlighted');

    release();
    await waitFor(() => expect(rowIds()).toEqual(['ord_1003', 'ord_1001']));
    expect(cachedMarks()).toEqual(['false', 'false']);
    expect(screen.queryAllByTestId('order-row-cached')).toHaveLength(0);
    // The gateway's version wins, and the highlight stays on the same order.
    expect(rows()[1]!.textContent).toContain('Shipped');
    expect(rows()[1]!.className).toContain('order-row-highlighted');
    expect(screen.queryByTestId('order-search-source')).toBeNull();
    fireEvent.keyDown(input, { key: 'Enter' });
    expect((await screen.findByTestId('order-detail')).dataset.orderId).toBe('ord_1001');
  });

  it('keeps the cached rows with a clear note when the gateway fails, and retries', async () => {
    await signedInWithNewestListed();
    fakeHost.cachedOrders = [cachedVersionOf('ord_1001')];
    fakeHost.failures.set('orders.search', 'RATE_LIMITED');
    await searchFor('zhang');

    await waitFor(() => expect(screen.getByTestId('order-search-source').dataset.state).toBe('failed'));
    expect(rowIds()).toEqual(['ord_1001']);
    expect(cachedMarks()).toEqual(['true']);
    expect(screen.getByTestId('order-search-source').textContent).toContain('Server search failed');
    expect(screen.queryByTestId('order-search-error')).toBeNull();

    fakeHost.failures.delete('orders.search');
    fireEvent.click(screen.getByTestId('order-search-source-retry'));
    await waitFor(() => expect(rowIds()).toEqual(['ord_1003', 'ord_1001']));
    expect(cachedMarks()).toEqual(['false', 'false']);
  });

  it('shows the error itself when the gateway fails and nothing is cached', async () => {
    await signedInWithNewestListed();
    fakeHost.failures.set('orders.search', 'RATE_LIMITED');
    await searchFor('zhang');
    expect((await screen.findByTestId('order-search-error')).textContent).toContain('Search failed');
    expect(rowIds()).toEqual([]);
  });

  it('never lets answers to earlier text overwrite newer ones, from either source', async () => {
    await signedInWithNewestListed();
    fakeHost.cachedOrders = [cachedVersionOf('ord_1001'), cachedVersionOf('ord_1002', { status: 'paid' })];
    const releaseOldCached = fakeHost.hold('orders.searchCached');
    const releaseOldGateway = fakeHost.hold('orders.search');
    await searchFor('zhang');
    await searchFor('#1002');
    await waitFor(() => expect(cachedMarks()).toEqual(['false']));
    expect(rowIds()).toEqual(['ord_1002']);

    releaseOldCached();
    releaseOldGateway();
    await waitFor(() => expect(fakeHost.callsOf('orders.search')).toHaveLength(3));
    await act(() => fakeHost.idle());
    expect(rowIds()).toEqual(['ord_1002']);
    expect(cachedMarks()).toEqual(['false']);

    // The cache answering after the gateway, for the same text, does not replace its rows either.
    const releaseLateCache = fakeHost.hold('orders.searchCached');
    await searchFor('Emma');
    await waitFor(() => expect(fakeHost.callsOf('orders.search')).toHaveLength(4));
    releaseLateCache();
    await waitFor(() => expect(fakeHost.callsOf('orders.searchCached')).toHaveLength(4));
    await act(() => fakeHost.idle());
    expect(cachedMarks()).toEqual(['false']);
    expect(rows()[0]!.textContent).not.toContain('Paid');
  });

  it('passes the search filters to the cache too', async () => {
    await signedInWithNewestListed();
    fakeHost.cachedOrders = [cachedVersionOf('ord_1001'), cachedVersionOf('ord_1002')];
    const release = fakeHost.hold('orders.search');
    useOrdersStore.getState().setFilters({ statuses: ['shipped'], platforms: ['demo'], created: null });
    await waitFor(() => expect(rowIds()).toEqual(['ord_1001']));
    expect(cachedMarks()).toEqual(['true']);
    expect(fakeHost.callsOf('orders.searchCached').at(-1)).toEqual({
      text: '',
      statuses: ['shipped'],
      platforms: ['demo'],
    });
    release();
    await waitFor(() => expect(cachedMarks()).toEqual(['false']));
  });

  it('loads more pages with the cursor, listing each order once', async () => {
    fakeHost.reset({ signedIn: true });
    const extra = Array.from({ length: 60 }, (_, index) =>
      cachedVersionOf('ord_1001', {
        id: `ord_${2000 + index}`,
        displayNumber: `DM-${2000 + index}`,
        createdAt: new Date(Date.UTC(2025, 3, 1, 0, index)).toISOString(),
      }),
    );
    renderApp({ signedIn: true });
    fakeHost.orders.push(...extra);
    await searchFor('');
    await waitFor(() => expect(useOrdersStore.getState().results).toHaveLength(50));

    // A new order arrives before the next page: the page now starts one row earlier.
    fakeHost.orders.push(
      cachedVersionOf('ord_1001', { id: 'ord_3000', createdAt: '2025-05-01T00:00:00.000Z' }),
    );
    fireEvent.click(await screen.findByTestId('order-search-more'));
    await waitFor(() => expect(useOrdersStore.getState().results).toHaveLength(63));
    const ids = useOrdersStore.getState().results.map((row) => row.id);
    expect(new Set(ids).size).toBe(63);
    expect(ids.at(-1)).toBe('ord_1001');
    expect(fakeHost.callsOf('orders.search').at(-1)).toMatchObject({ text: '', cursor: '50' });
    expect(screen.queryByTestId('order-search-more')).toBeNull();
  });
});
