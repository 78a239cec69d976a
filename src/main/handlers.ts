import type { AppInfo, MethodArgs, MethodName, MethodResult, Settings } from '../shared/contract';
import { DEMO_LOGIN } from '../shared/demo';
import { DeskError } from '../shared/errors';
import type { SessionService } from './services/session/SessionService';
import type { SettingsStore } from './services/settings/SettingsStore';

export type Handlers = { [M in MethodName]: (args: MethodArgs<M>) => Promise<MethodResult<M>> };

export interface HandlerDeps {
  appInfo: AppInfo;
  settings: SettingsStore;
  session: SessionService;
  /** The gateway behind "demo sign-in", when the host runs one. */
  demoGatewayUrl: string | null;
}

/** Binds every contract method to the services. Arguments arrive already validated. */
export function createHandlers({ appInfo, settings, session, demoGatewayUrl }: HandlerDeps): Handlers {
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
  };
}
