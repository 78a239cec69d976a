import { fakeHost, renderApp } from './renderApp';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import {
  ItemPicker,
  initialPicks,
  type PickedItem,
} from '../../src/renderer/features/order-actions/ItemPicker';
import type { PhoneCall } from '../../src/renderer/features/softphone/phone-call';
import { forgetCallHistoryLabels } from '../../src/renderer/features/wrap-up/DuringCallTag';
import { useAgentStateStore } from '../../src/renderer/stores/agentState';
import { useInteractionStore } from '../../src/renderer/stores/interaction';
import { useOrdersStore } from '../../src/renderer/stores/orders';
import { useSoftphoneStore } from '../../src/renderer/stores/softphone';
import type { AutoSavedWrapUp, CallDispositionUpdate } from '../../src/shared/call-history';
import type { Language } from '../../src/shared/contract';
import type { ActionRequest } from '../../src/shared/protocol';

const talking: PhoneCall = {
  id: 'call-7',
  direction: 'inbound',
  remoteNumber: '+8613800138000',
  remoteName: '',
  headers: {},
  status: 'active',
  muted: false,
  startedAt: '2025-03-05T09:00:00.000Z',
  answeredAt: '2025-03-05T09:00:03.000Z',
  endedAt: null,
  endReason: null,
  consultFor: null,
};

async function shellOnCall(language: Language = 'en') {
  useInteractionStore.getState().reset();
  forgetCallHistoryLabels();
  renderApp({ signedIn: true, language });
  await screen.findByTestId('order-search-input');
  act(() => {
    useSoftphoneStore.getState().upsertCall(talking);
    useAgentStateStore.getState().apply({ type: 'call_answered' });
  });
}

async function addNote(orderId: string, text: string) {
  await act(() => useOrdersStore.getState().open(orderId));
  await waitFor(() => expect(screen.getByTestId('action-bar').dataset.state).toBe('ready'));
  fireEvent.click(screen.getByTestId('action-note'));
  fireEvent.change(await screen.findByTestId('action-note-text'), { target: { value: text } });
  fireEvent.click(screen.getByTestId('action-confirm'));
  await waitFor(() => expect(screen.queryByTestId('action-dialog')).toBeNull());
}

function endCall() {
  act(() => {
    useSoftphoneStore
      .getState()
      .upsertCall({ ...talking, status: 'ended', endedAt: '2025-03-05T09:03:00.000Z' });
    useAgentStateStore.getState().apply({ type: 'last_call_ended', callId: talking.id, acwSeconds: 120 });
  });
}

describe('actions linked to the call and the wrap-up', () => {
  it('sends the call id with an action taken during the call and records it on the call', async () => {
    await shellOnCall();
    await addNote('ord_1001', 'Customer will send photos');
    const [sent] = fakeHost.callsOf('orders.action') as ActionRequest[];
    expect(sent).toMatchObject({ interactionId: 'call-7', action: { type: 'note' } });
    expect(fakeHost.callsOf('calls.addAction')).toEqual([
      {
        callId: 'call-7',
        action: expect.objectContaining({
          orderId: 'ord_1001',
          displayNumber: 'DM-1001',
          type: 'note',
          outcome: 'applied',
        }),
      },
    ]);
    // The order's history says the note was written during this call, with its number.
    fireEvent.click(screen.getByRole('tab', { name: 'History' }));
    const during = await screen.findByTestId('during-call');
    expect(during.dataset.interactionId).toBe('call-7');
    expect(during.textContent).toContain('+8613800138000');
  });

  it('prefills the wrap-up from the call, lets the agent trim it, and saves it with Enter', async () => {
    await shellOnCall();
    await act(() => useOrdersStore.getState().open('ord_1002'));
    await addNote('ord_1001', 'Refund promised by Friday');
    endCall();
    await fakeHost.transport.invoke('calls.record', {
      callId: 'call-7',
      direction: 'inbound',
      number: '+8613800138000',
      name: '',
      startedAt: talking.startedAt,
      durationSeconds: 177,
      outcome: 'answered',
      orderId: null,
    });

    const bar = await screen.findByTestId('acw-bar');
    const orders = within(bar).getByTestId('acw-summary-orders');
    expect(
      within(orders)
        .getAllByTestId('acw-summary-orders-item')
        .map((chip) => chip.textContent),
    ).toEqual(['#1002×', 'DM-1001×']);
    expect(within(bar).getByTestId('acw-summary-actions').textContent).toContain('Add note · DM-1001 · done');
    // The agent drops the order that was only looked at (the remove buttons are real buttons).
    const remove = within(orders).getByRole('button', { name: 'Remove #1002 from the summary' });
    remove.focus();
    expect(document.activeElement).toBe(remove);
    fireEvent.click(remove);
    expect(within(orders).getAllByTestId('acw-summary-orders-item')).toHaveLength(1);

    fireEvent.mouseDown(
      bar.querySelector('.ant-select')!.querySelector('.ant-select-content, .ant-select-selector')!,
    );
    fireEvent.click(await screen.findByTitle('Resolved'));
    const note = within(bar).getByTestId('acw-note');
    fireEvent.change(note, { target: { value: 'Photos by e-mail' } });
    fireEvent.keyDown(note, { key: 'Enter', code: 'Enter', keyCode: 13 });

    await waitFor(() => expect(useAgentStateStore.getState().status.state).toBe('available'));
    const [saved] = fakeHost.callsOf('calls.setDisposition') as CallDispositionUpdate[];
    expect(saved).toMatchObject({
      callId: 'call-7',
      disposition: 'resolved',
      note: 'Photos by e-mail',
      summary: {
        orders: [{ orderId: 'ord_1001', displayNumber: 'DM-1001' }],
        actions: [expect.objectContaining({ type: 'note', orderId: 'ord_1001', outcome: 'applied' })],
      },
    });
    // Saved by the agent: nothing is auto-saved on top.
    expect(fakeHost.callsOf('calls.autoSaveWrapUp')).toEqual([]);
    expect(fakeHost.callRecords[0]!.autoSaved).toBe(false);
  });

  it('shows the saved summary in the call history', async () => {
    await shellOnCall();
    await addNote('ord_1001', 'Asked about the courier');
    endCall();
    await fakeHost.transport.invoke('calls.record', {
      callId: 'call-7',
      direction: 'inbound',
      number: '+8613800138000',
      name: '',
      startedAt: talking.startedAt,
      durationSeconds: 60,
      outcome: 'answered',
      orderId: null,
    });
    await act(() =>
      useAgentStateStore.getState().finishAfterCallWork('resolved', 'Courier called back', {
        orders: [{ orderId: 'ord_1001', displayNumber: 'DM-1001' }],
        actions: fakeHost.callRecords[0]!.actions,
      }),
    );
    fireEvent.click(screen.getByTestId('rail-call-history'));
    const summary = await screen.findByTestId('call-summary');
    expect(within(summary).getByTestId('call-summary-orders').textContent).toContain('DM-1001');
    expect(within(summary).getByTestId('call-summary-actions').textContent).toContain(
      'Add note · DM-1001 · done',
    );
    expect(within(summary).getByTestId('call-summary-note').textContent).toBe('Courier called back');
    expect(within(summary).queryByTestId('call-summary-auto-saved')).toBeNull();
    expect(fakeHost.callsOf('calls.autoSaveWrapUp')).toEqual([]);
  });
});

/** The call's history row, as main writes it when the call ends. */
const recordCall = () =>
  fakeHost.transport.invoke('calls.record', {
    callId: 'call-7',
    direction: 'inbound',
    number: '+8613800138000',
    name: '',
    startedAt: talking.startedAt,
    durationSeconds: 120,
    outcome: 'answered',
    orderId: null,
  });

async function chooseDisposition(bar: HTMLElement, label: string) {
  fireEvent.mouseDown(
    bar.querySelector('.ant-select')!.querySelector('.ant-select-content, .ant-select-selector')!,
  );
  fireEvent.click(await screen.findByTitle(label));
}

describe('wrap-up saved automatically when after-call work ends without a save', () => {
  for (const [language, autoSaved, actionText] of [
    ['en', 'Auto-saved', 'Add note · DM-1001 · done'],
    ['zh-CN', '自动保存', 'DM-1001'],
  ] as const) {
    it(`saves the summary so far once when the timer runs out, marked in the call history (${language})`, async () => {
      await shellOnCall(language);
      await act(() => useOrdersStore.getState().open('ord_1002'));
      await addNote('ord_1001', 'Customer sends photos');
      endCall();
      await recordCall();

      const bar = await screen.findByTestId('acw-bar');
      // The agent trims the summary and starts a note, then the timer runs out.
      fireEvent.click(within(bar).getAllByRole('button', { name: /#1002/ })[0]!);
      fireEvent.change(within(bar).getByTestId('acw-note'), { target: { value: 'Photos by e-mail ' } });
      act(() => {
        useAgentStateStore.getState().apply({ type: 'acw_expired' });
      });
      expect(useAgentStateStore.getState().status.state).toBe('available');
      expect(screen.queryByTestId('acw-bar')).toBeNull();

      await waitFor(() => expect(fakeHost.callsOf('calls.autoSaveWrapUp')).toHaveLength(1));
      const [saved] = fakeHost.callsOf('calls.autoSaveWrapUp') as AutoSavedWrapUp[];
      expect(saved).toEqual({
        callId: 'call-7',
        disposition: null,
        note: 'Photos by e-mail',
        summary: {
          orders: [{ orderId: 'ord_1001', displayNumber: 'DM-1001' }],
          actions: [expect.objectContaining({ type: 'note', orderId: 'ord_1001', outcome: 'applied' })],
        },
      });
      // Whatever else happens next, it is not saved a second time.
      act(() => {
        useAgentStateStore.getState().apply({ type: 'acw_expired' });
        useAgentStateStore.getState().reset();
      });
      expect(fakeHost.callsOf('calls.autoSaveWrapUp')).toHaveLength(1);
      expect(fakeHost.callsOf('calls.setDisposition')).toEqual([]);

      fireEvent.click(screen.getByTestId('rail-call-history'));
      const summary = await screen.findByTestId('call-summary');
      expect(within(summary).getByTestId('call-summary-auto-saved').textContent).toBe(autoSaved);
      expect(within(summary).getByTestId('call-summary-actions').textContent).toContain(actionText);
      expect(within(summary).getByTestId('call-summary-note').textContent).toBe('Photos by e-mail');
    });
  }

  it('saves it with the chosen disposition when the next call is answered first', async () => {
    await shellOnCall();
    await addNote('ord_1001', 'Checked the parcel');
    endCall();
    await recordCall();
    const bar = await screen.findByTestId('acw-bar');
    await chooseDisposition(bar, 'Resolved');

    act(() => {
      useSoftphoneStore
        .getState()
        .upsertCall({ ...talking, id: 'call-8', startedAt: '2025-03-05T09:05:00.000Z' });
      useAgentStateStore.getState().apply({ type: 'call_answered' });
    });
    await waitFor(() => expect(fakeHost.callsOf('calls.autoSaveWrapUp')).toHaveLength(1));
    expect(fakeHost.callsOf('calls.autoSaveWrapUp')[0]).toMatchObject({
      callId: 'call-7',
      disposition: 'resolved',
      note: null,
      summary: { orders: [{ orderId: 'ord_1001', displayNumber: 'DM-1001' }] },
    });
    expect(fakeHost.callRecords[0]).toMatchObject({ disposition: 'resolved', autoSaved: true });
  });
});

describe('exchange replacement picker', () => {
  it('offers the catalogue’s variants instead of a free-text SKU and picks one', async () => {
    renderApp({ signedIn: true });
    await screen.findByTestId('order-search-input');
    const order = fakeHost.orders.find((candidate) => candidate.id === 'ord_1001')!;
    let latest: PickedItem[] = [];
    function Harness() {
      const [picks, setPicks] = useState(() => initialPicks(order.items));
      latest = picks;
      return (
        <AntApp>
          <ItemPicker
            orderId={order.id}
            items={order.items}
            picks={picks}
            onChange={setPicks}
            withReplacement
          />
        </AntApp>
      );
    }
    const { container } = render(<Harness />);
    const picker = within(container).getByTestId('item-picker');
    await waitFor(() => expect(fakeHost.callsOf('orders.replacements').length).toBe(order.items.length));
    expect(picker.querySelector('input[type="text"]:not([role="combobox"])')).toBeNull();
    const select = picker.querySelector('.ant-select')!;
    await waitFor(() => expect(select.textContent).toContain('Same item (new unit)'));
    fireEvent.mouseDown(select.querySelector('.ant-select-content, .ant-select-selector')!);
    const sku = order.items[0]!.sku;
    fireEvent.click(await screen.findByTitle(`L · ${sku}-L`));
    await waitFor(() => expect(latest[0]!.replacementSku).toBe(`${sku}-L`));
  });
});
