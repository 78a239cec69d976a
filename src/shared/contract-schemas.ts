import { z } from 'zod';
import { LANGUAGES, type MethodArgs, type MethodName } from './contract';
import { AgentStateReport } from './agent-state';
import { AutoSavedWrapUp, CallActionRecord, CallDispositionUpdate, NewCallRecord } from './call-history';
import { DeskStatusReport, RingingNotice } from './desktop';
import { isGatewayUrl } from './gateway-url';
import { PhoneSettingsPatch } from './phone-settings';
import { DismissOfflineTaskArgs } from './offline';
import { OrderSearchQuery, gatewayMethods } from './protocol';

const none = z.undefined();

/** Accepts ws:// and wss:// URLs only: the gateway speaks websockets. */
export const GatewayUrl = z.string().trim().max(2048).refine(isGatewayUrl, 'must be a ws:// or wss:// URL');

/**
 * Argument schema of every IPC method. Main validates each call against these before a service
 * sees it; the mapped type makes a missing or mistyped schema a compile error.
 */
export const contractArgSchemas: { [M in MethodName]: z.ZodType<MethodArgs<M>> } = {
  'app.info': none,
  'settings.get': none,
  'settings.set': z
    .object({ language: z.enum(LANGUAGES as [string, ...string[]]).optional() })
    .strict() as z.ZodType<MethodArgs<'settings.set'>>,
  'session.get': none,
  'session.login': z
    .object({
      gatewayUrl: GatewayUrl,
      username: z.string().trim().min(1).max(64),
      password: z.string().min(1).max(256),
    })
    .strict(),
  'session.loginDemo': none,
  'session.logout': none,
  'connection.get': none,
  'orders.search': OrderSearchQuery as z.ZodType<MethodArgs<'orders.search'>>,
  'orders.searchCached': OrderSearchQuery as z.ZodType<MethodArgs<'orders.searchCached'>>,
  'orders.get': z.object({ id: z.string().min(1).max(64) }).strict(),
  'orders.byCustomer': gatewayMethods['orders.byCustomer'].params as z.ZodType<
    MethodArgs<'orders.byCustomer'>
  >,
  'orders.find': z.object({ displayNumber: z.string().trim().min(1).max(64) }).strict(),
  'orders.allowedActions': gatewayMethods['orders.allowedActions'].params,
  'orders.quote': gatewayMethods['orders.quote'].params as z.ZodType<MethodArgs<'orders.quote'>>,
  'orders.action': gatewayMethods['orders.action'].params as z.ZodType<MethodArgs<'orders.action'>>,
  'phone.settings': none,
  'phone.configure': PhoneSettingsPatch,
  'phone.credentials': none,
  'agent.setState': AgentStateReport,
  'calls.record': NewCallRecord,
  'calls.setDisposition': CallDispositionUpdate,
  'calls.autoSaveWrapUp': AutoSavedWrapUp,
  'calls.recent': z.object({ limit: z.number().int().min(1).max(500) }).strict(),
  'desktop.ringing': RingingNotice,
  'desktop.ringingStopped': z.object({ callId: z.string().min(1).max(256) }).strict(),
  'desktop.status': DeskStatusReport,
  // ---- offline work ----
  'offline.get': none,
  'offline.dismissTask': DismissOfflineTaskArgs,
  // ---- wrap-up ----
  'calls.addAction': CallActionRecord,
  'orders.replacements': gatewayMethods['orders.replacements'].params,
  // ---- abnormal orders ----
  'orders.abnormal': gatewayMethods['orders.abnormal'].params as z.ZodType<MethodArgs<'orders.abnormal'>>,
  // ---- roles (ROLES-DESK) ----
  'views.current': none,
  'views.list': none,
  'views.save': gatewayMethods['views.save'].params,
  'orders.reveal': gatewayMethods['orders.reveal'].params,
  'approvals.list': gatewayMethods['approvals.list'].params as z.ZodType<MethodArgs<'approvals.list'>>,
  'approvals.decide': gatewayMethods['approvals.decide'].params as z.ZodType<MethodArgs<'approvals.decide'>>,
  'team.list': none,
  // ---- co-browse ----
  'cobrowse.join': gatewayMethods['cobrowse.join'].params,
  'cobrowse.send': gatewayMethods['cobrowse.send'].params,
  'cobrowse.leave': gatewayMethods['cobrowse.leave'].params,
  'cobrowse.sessions': none,
};
