import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  EVENT_CHANNEL,
  METHOD_NAMES,
  ipcChannel,
  type ContractEvents,
  type EventName,
} from '../shared/contract';
import type { Dispatch } from './dispatch';
import { originOf } from './origin';

/** The part of a frame the sender check reads (Electron's WebFrameMain has these). */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

/** Only the app's own top-level frame may call main: not iframes, not navigated-away pages. */
export function isTrustedSender(frame: SenderFrame | null | undefined, appOrigin: string): boolean {
  if (!frame || frame.parent) return false;
  return originOf(frame.url) === appOrigin;
}

/**
 * Binds every contract method to ipcMain. Each call is sender-checked, then handed to the
 * dispatcher, which validates its arguments. Returns a function that unbinds them all.
 */
export function registerIpc(dispatch: Dispatch, appOrigin: string): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), async (event: IpcMainInvokeEvent, args: unknown) => {
      if (!isTrustedSender(event.senderFrame, appOrigin)) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN_SENDER', message: 'Caller is not the Agent Desk window' },
        };
      }
      return dispatch(method, args);
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(ipcChannel(method));
  };
}

/** Pushes a contract event to a window. */
export function sendEvent<E extends EventName>(
  target: WebContents,
  event: E,
  payload: ContractEvents[E],
): void {
  if (!target.isDestroyed()) target.send(EVENT_CHANNEL, { event, payload });
}
