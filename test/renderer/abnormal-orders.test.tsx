import { fakeHost, renderApp } from './renderApp';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../src/shared/domain';
import type { OrderSearchQuery } from '../../src/shared/protocol';
import { useAbnormalOrdersStore } from '../../src/renderer/stores/abnormalOrders';
import { fixtureOrders } from './fixtures';

afterEach(() => useAbnormalOrdersStore.getState().reset());

const base = fixtureOrders[0]!;

/** A shipped order whose parcel hit a delivery exception, and a paid one flagged as fraud. */
function abnormalOrders(): Order[] {
  return [
    {
      ...base,
      id: 'ord_2001',
      displayNumber: 'DM-2001',
      shipments: [
        {
          ...base.shipments[0]!,
          status: 'exception',
          events: [{ at: '2025-03-04T10:00:00.000Z', status: 'exception', description: 'Address not found' }],
        },
      ],
    },
    {
      ...base,
      id: 'ord_2002',
      displayNumber: 'DM-2002',
      platform: 'shopify',
      status: 'paid',
      shipments: [],
      riskFlags: [{ kind: 'fraud_suspect', at: '2025-03-02T10:00:00.000Z' }],
    },
  ];
}

const rowIds = () => screen.queryAllByTestId('abnormal-row').map((row) => row.dataset.orderId);

async function openQueue(options: Parameters<typeof renderApp>[0] = {}) {
  renderApp({ signedIn: true, ...options });
  fakeHost.orders.push(...abnormalOrders());
  fireEvent.click(await screen.findByTestId('rail-abnormal-orders'));
  return screen.findByTestId('abnormal-view');
}

describe('abnormal-orders queue', () => {
  it('opens from the rail with the counts per type, oldest first', async () => {
    await openQueue();
    await waitFor(() => expect(rowIds()).toEqual(['ord_2002', 'ord_1002', 'ord_2001']));
    expect(screen.getByTestId('abnormal-type-all').textContent).toContain('3');
    expect(screen.getByTestId('abnormal-type-payment_failed').textContent).toMatch(/Payment failed\s*1/);
    expect(screen.getByTestId('abnormal-type-fraud_suspect').textContent).toMatch(/Fraud suspect\s*1/);
    expect(screen.getByTestId('abnormal-type-unpaid_too_long').textContent).toContain('0');
    const row = screen.getAllByTestId('abnormal-row')[2]!;
    expect(row.textContent).toContain('DM-2001');
    expect(row.textContent).toContain('Shipping exception');
    expect(row.textContent).toContain('Shipped');
    expect(row.textContent).toContain('¥259.00');
    expect(screen.getByTestId('rail-abnormal-orders').getAttribute('aria-current')).toBe('page');
  });

  it('filters by type and shows that type’s handling steps', async () => {
    await openQueue();
    expect(screen.queryByTestId('abnormal-steps')).toBeNull();
    fireEvent.click(await screen.findByTestId('abnormal-type-shipping_exception'));
    await waitFor(() => expect(rowIds()).toEqual(['ord_2001']));
    const steps = screen.getByTestId('abnormal-steps');
    expect(steps.textContent).toContain('How to handle: Shipping exception');
    expect(steps.textContent).toContain('Tell the customer');
    expect(steps.textContent).toContain('hand it to the logistics team');
    expect(fakeHost.callsOf('orders.abnormal').at(-1)).toMatchObject({ type: 'shipping_exception' });
  });

  it('moves between types with the arrow keys', async () => {
    await openQueue();
    const all = await screen.findByTestId('abnormal-type-all');
    expect(all.getAttribute('aria-checked')).toBe('true');
    fireEvent.keyDown(all, { key: 'ArrowDown' });
    await waitFor(() =>
      expect(screen.getByTestId('abnormal-type-unpaid_too_long').getAttribute('aria-checked')).toBe('true'),
    );
    fireEvent.keyDown(screen.getByTestId('abnormal-type-unpaid_too_long'), { key: 'ArrowDown' });
    await waitFor(() => expect(rowIds()).toEqual(['ord_1002']));
    expect(screen.getByTestId('abnormal-steps').textContent).toContain('Payment failed');
  });

  it('opens an order in the workspace by click and by keyboard', async () => {
    await openQueue();
    await waitFor(() => expect(rowIds()).toHaveLength(3));
    fireEvent.click(screen.getAllByTestId('abnormal-row')[0]!);
    expect((await screen.findByTestId('order-detail')).dataset.orderId).toBe('ord_2002');
    expect(screen.queryByTestId('abnormal-view')).toBeNull();

    fireEvent.click(screen.getByTestId('rail-abnormal-orders'));
    await waitFor(() => expect(rowIds()).toHaveLength(3));
    const rows = screen.getByTestId('abnormal-rows');
    fireEvent.keyDown(rows, { key: 'ArrowDown' });
    fireEvent.keyDown(rows, { key: 'ArrowDown' });
    fireEvent.keyDown(rows, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('order-detail').dataset.orderId).toBe('ord_1002'));
  });

  it('filters by platform', async () => {
    const view = await openQueue();
    await waitFor(() => expect(rowIds()).toHaveLength(3));
    const select = within(view).getByTestId('abnormal-platform-filter');
    fireEvent.mouseDown(select.querySelector('.ant-select-content, .ant-select-selector')!);
    fireEvent.click(await screen.findByTitle('Shopify'));
    await waitFor(() => expect(rowIds()).toEqual(['ord_2002', 'ord_1002']));
    expect(fakeHost.callsOf('orders.abnormal').at(-1)).toMatchObject({ platforms: ['shopify'] });
  });

  it('refreshes when an order changes on the gateway', async () => {
    await openQueue();
    await waitFor(() => expect(rowIds()).toHaveLength(3));
    const flagged: Order = {
      ...base,
      id: 'ord_2003',
      displayNumber: 'DM-2003',
      status: 'paid',
      shipments: [],
      riskFlags: [{ kind: 'address_changed_after_payment', at: '2025-03-05T10:00:00.000Z' }],
    };
    act(() => {
      fakeHost.orders.push(flagged);
      fakeHost.emit('order.changed', { seq: 99, order: flagged });
    });
    await waitFor(() => expect(rowIds()).toContain('ord_2003'), { timeout: 3000 });
    expect(screen.getByTestId('abnormal-type-address_changed_after_payment').textContent).toContain('1');
  });

  it('speaks Chinese', async () => {
    await openQueue({ language: 'zh-CN' });
    fireEvent.click(await screen.findByTestId('abnormal-type-fraud_suspect'));
    await waitFor(() => expect(rowIds()).toEqual(['ord_2002']));
    expect(screen.getByTestId('abnormal-type-fraud_suspect').textContent).toContain('疑似欺诈');
    expect(screen.getByTestId('abnormal-steps').textContent).toContain('一律转主管或风控组');
  });
});

describe('search filters', () => {
  const lastSearch = () => fakeHost.callsOf('orders.search').at(-1) as OrderSearchQuery;
  const resultIds = () => screen.queryAllByTestId('order-result-row').map((row) => row.dataset.orderId);

  it('narrows the results by status and platform, and clears', async () => {
    renderApp({ signedIn: true });
    await waitFor(() => expect(resultIds()).toEqual(['ord_1003', 'ord_1002', 'ord_1001']));

    const status = screen.getByTestId('search-filter-status');
    fireEvent.mouseDown(status.querySelector('.ant-select-content, .ant-select-selector')!);
    fireEvent.click(await screen.findByTitle('Shipped'));
    await waitFor(() => expect(resultIds()).toEqual(['ord_1001']));
    expect(lastSearch()).toMatchObject({ text: '', statuses: ['shipped'] });
    fireEvent.click(await screen.findByTitle('Awaiting payment'));
    await waitFor(() => expect(resultIds()).toEqual(['ord_1002', 'ord_1001']));

    const platform = screen.getByTestId('search-filter-platform');
    fireEvent.mouseDown(platform.querySelector('.ant-select-content, .ant-select-selector')!);
    fireEvent.click(await screen.findByTitle('Demo shop'));
    await waitFor(() => expect(resultIds()).toEqual(['ord_1001']));
    expect(lastSearch()).toMatchObject({ statuses: ['shipped', 'pending_payment'], platforms: ['demo'] });

    fireEvent.click(screen.getByTestId('search-filters-clear'));
    await waitFor(() => expect(resultIds()).toHaveLength(3));
    expect(lastSearch()).toEqual({ text: '' });
  });

  it('keeps the filters with the typed text', async () => {
    renderApp({ signedIn: true });
    const status = await screen.findByTestId('search-filter-status');
    fireEvent.mouseDown(status.querySelector('.ant-select-content, .ant-select-selector')!);
    fireEvent.click(await screen.findByTitle('Refunding'));
    await waitFor(() => expect(resultIds()).toEqual(['ord_1003']));
    const input = screen.getByTestId('order-search-input');
    fireEvent.change(input, { target: { value: 'zhang' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(lastSearch()).toMatchObject({ text: 'zhang', statuses: ['refunding'] }));
    await waitFor(() => expect(resultIds()).toEqual(['ord_1003']));
  });

  it('limits by a created-date preset', async () => {
    renderApp({ signedIn: true });
    const range = await screen.findByTestId('search-filters');
    fireEvent.mouseDown(range.querySelector('.ant-picker input')!);
    fireEvent.click(range.querySelector('.ant-picker input')!);
    fireEvent.click(await screen.findByText('Last 30 days'));
    await waitFor(() => expect(lastSearch().createdFrom).toBeDefined());
    const { createdFrom, createdTo } = lastSearch();
    const days = (Date.parse(createdTo!) - Date.parse(createdFrom!)) / 86_400_000;
    expect(Math.round(days)).toBe(30);
    // The fixtures are from 2025: none was created in the last 30 days.
    await waitFor(() => expect(resultIds()).toEqual([]));
  });
});
