import type { AppInfo, MethodArgs, MethodName, MethodResult, Settings } from '../shared/contract';
import { DEMO_LOGIN } from '../shared/demo';
import { DeskError } from '../shared/errors';
import type { AgentStateReporter } from './services/agent-state/AgentStateReporter';
import type { CallHistoryStore } from './services/calls/CallHistoryStore';
import type { IncomingCallNotifier } from './services/desktop/IncomingCallNotifier';
import type { TrayStatus } from './services/desktop/TrayStatus';
import type { SessionService } from './services/session/SessionService';
import type { SettingsStore } from './services/settings/SettingsStore';
import type { TelephonyService } from './services/telephony/TelephonyService';

export type Handlers = { [M in MethodName]: (args: MethodArgs<M>) => Promise<MethodResult<M>> };

export interface HandlerDeps {
  appInfo: AppInfo;
  settings: SettingsStore;
  session: SessionService;
  /** The gateway behind "demo sign-in", when the host runs one. */
  demoGatewayUrl: string | null;
  telephony: TelephonyService;
  agentState: AgentStateReporter;
  callHistory: Pick<CallHistoryStore, 'record' | 'setDisposition' | 'recent'>;
  notifier: IncomingCallNotifier;
  tray: TrayStatus;
}

/** Binds every contract method to the services. Arguments arrive already validated. */
export function createHandlers({
  appInfo,
  settings,
  session,
  demoGatewayUrl,
  telephony,
  agentState,
  callHistory,
  notifier,
  tray,
}: HandlerDeps): Handlers {
  const currentSettings = (): Settings => ({ ...settings.get(), demoGatewayUrl });

  return {
    'app.info': async () => appInfo,
    'settings.get': async () => currentSettings(),
    'settings.set': async (patch) => {
      await settings.update(patch);
      return currentSettings();
    },
    'session.get': async () => session.session,
    'session.login': async ({ gatewayUrl, username, password }) => {
      const state = await session.login(gatewayUrl, username, password);
      await settings.update({ gatewayUrl });
      return state;
    },
    'session.loginDemo': async () => {
      if (!demoGatewayUrl) throw new DeskError('GATEWAY_UNAVAILABLE', 'No demo gateway is running');
      return session.login(demoGatewayUrl, DEMO_LOGIN.username, DEMO_LOGIN.password);
    },
    'session.logout': async () => session.logout(),
    'connection.get': async () => session.connectionState,
    'orders.search': async (query) => session.request('orders.search', query),
    'orders.get': async ({ id }) => (await session.request('orders.get', { id })).order,
    'orders.byCustomer': async (query) => session.request('orders.byCustomer', query),
    'orders.find': async (lookup) => (await session.request('orders.find', lookup)).order,
    'orders.allowedActions': async (query) => session.request('orders.allowedActions', query),
    'orders.quote': async (params) => session.request('orders.quote', params),
    'orders.action': async (request) => session.request('orders.action', request),
    'phone.settings': async () => telephony.view(),
    'phone.configure': async (patch) => telephony.configure(patch),
    'phone.credentials': async () => telephony.credentials(),
    'agent.setState': async (report) => agentState.report(report),
    'calls.record': async (call) => callHistory.record(call),
    'calls.setDisposition': async (update) => callHistory.setDisposition(update),
    'calls.recent': async ({ limit }) => callHistory.recent(limit),
    'desktop.ringing': async (notice) => ({ notified: notifier.ringing(notice) }),
    'desktop.ringingStopped': async ({ callId }) => notifier.stopped(callId),
    'desktop.status': async (status) => {
      tray.report(status);
    },
  };
}
