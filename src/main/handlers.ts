import type { AppInfo, MethodArgs, MethodName, MethodResult, Settings } from '../shared/contract';
import { DEMO_LOGIN } from '../shared/demo';
import { DeskError } from '../shared/errors';
import type { AgentStateReporter } from './services/agent-state/AgentStateReporter';
import type { CallHistoryStore } from './services/calls/CallHistoryStore';
import type { CobrowseSessions } from './services/cobrowse/CobrowseSessions';
import type { IncomingCallNotifier } from './services/desktop/IncomingCallNotifier';
import type { TrayStatus } from './services/desktop/TrayStatus';
import type { OfflineOrders } from './services/offline/OfflineOrders';
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
  callHistory: Pick<
    CallHistoryStore,
    'record' | 'setDisposition' | 'autoSaveWrapUp' | 'recent' | 'addAction'
  >;
  notifier: IncomingCallNotifier;
  tray: TrayStatus;
  /** Order reads and writes through the cache and outbox (offline work). */
  offline: OfflineOrders;
  /** Sign-out: sends what is queued if it can, then wipes the cache. */
  signOut: () => Promise<void>;
  /** The co-browse sessions this desk joined. */
  cobrowse: Pick<CobrowseSessions, 'join' | 'send' | 'leave' | 'list'>;
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
  offline,
  signOut,
  cobrowse,
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
    'session.logout': async () => {
      await signOut();
      return session.session;
    },
    'connection.get': async () => session.connectionState,
    'orders.search': async (query) => offline.search(query),
    'orders.searchCached': async (query) => offline.searchCached(query),
    'orders.get': async ({ id }) => offline.get(id),
    'orders.byCustomer': async (query) => offline.byCustomer(query),
    'orders.find': async ({ displayNumber }) => offline.find(displayNumber),
    'orders.allowedActions': async ({ orderId }) => offline.allowedActions(orderId),
    'orders.quote': async (params) => session.request('orders.quote', params),
    'orders.action': async (request) => offline.action(request),
    'phone.settings': async () => telephony.view(),
    'phone.configure': async (patch) => telephony.configure(patch),
    'phone.credentials': async () => telephony.credentials(),
    'agent.setState': async (report) => agentState.report(report),
    'calls.record': async (call) => callHistory.record(call),
    'calls.setDisposition': async (update) => callHistory.setDisposition(update),
    'calls.autoSaveWrapUp': async (wrapUp) => callHistory.autoSaveWrapUp(wrapUp),
    'calls.recent': async ({ limit }) => callHistory.recent(limit),
    'desktop.ringing': async (notice) => ({ notified: notifier.ringing(notice) }),
    'desktop.ringingStopped': async ({ callId }) => notifier.stopped(callId),
    'desktop.status': async (status) => {
      tray.report(status);
    },
    // ---- offline work ----
    'offline.get': async () => offline.state(),
    'offline.dismissTask': async ({ id }) => offline.dismiss(id),
    // ---- wrap-up: actions linked to calls, exchange replacements ----
    'calls.addAction': async (record) => callHistory.addAction(record),
    'orders.replacements': async (params) => session.request('orders.replacements', params),
    // ---- abnormal orders: a live gateway queue, not served from the cache ----
    'orders.abnormal': async (query) => session.request('orders.abnormal', query),
    // ---- roles: views, reveal, approvals, team (online only; the gateway enforces every one) ----
    'views.current': async () => {
      const view = session.view;
      if (!view) throw new DeskError('NOT_SIGNED_IN', 'Sign in first');
      return view;
    },
    'views.list': async () => session.request('views.list', {}),
    'views.save': async (params) => session.request('views.save', params),
    'orders.reveal': async (params) => session.request('orders.reveal', params),
    'approvals.list': async (params) => session.request('approvals.list', params),
    'approvals.decide': async (params) => session.request('approvals.decide', params),
    'team.list': async () => session.request('team.list', {}),
    // ---- co-browse: only sessions this desk joined, within the customer's consent ----
    'cobrowse.join': async (params) => cobrowse.join(params),
    'cobrowse.send': async (params) => cobrowse.send(params),
    'cobrowse.leave': async (params) => cobrowse.leave(params),
    'cobrowse.sessions': async () => cobrowse.list(),
  };
}
