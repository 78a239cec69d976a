// The fake host must be imported first: it installs window.agentDesk, which desk.ts reads on import.
import { fakeHost, type FakeHostOptions } from './fakeDeskHost';
import './layout-size';
import { cleanup, render } from '@testing-library/react';
import { afterEach } from 'vitest';
import { App } from '../../src/renderer/app/App';
import { useOrdersStore } from '../../src/renderer/stores/orders';
import { useScreenPopStore } from '../../src/renderer/stores/screenPop';
import { useSessionStore } from '../../src/renderer/stores/session';
import { useSettingsStore } from '../../src/renderer/stores/settings';
import { useSoftphoneStore } from '../../src/renderer/stores/softphone';
import { useAgentStateStore } from '../../src/renderer/stores/agentState';

afterEach(cleanup);

/** Renders the whole renderer against a fresh fake host and fresh stores. */
export function renderApp(options: FakeHostOptions = {}) {
  fakeHost.reset(options);
  useSessionStore.setState(useSessionStore.getInitialState(), true);
  useSettingsStore.setState(useSettingsStore.getInitialState(), true);
  useOrdersStore.getState().reset();
  useScreenPopStore.getState().reset();
  useSoftphoneStore.setState(useSoftphoneStore.getInitialState(), true);
  useAgentStateStore.getState().reset();
  return render(<App />);
}

export { fakeHost };
