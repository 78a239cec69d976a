import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, ipcChannel, type EventMessage } from '../shared/contract';
import { createBridge } from '../shared/contract-client';

/**
 * The sandboxed preload: exposes `window.agentDesk`, generated from the contract. The page never
 * sees ipcRenderer; it can only call the contract's methods and listen to its events.
 */
contextBridge.exposeInMainWorld(
  'agentDesk',
  createBridge({
    invoke: (method, args) => ipcRenderer.invoke(ipcChannel(method), args),
    subscribe: (listener) => {
      const handler = (_event: IpcRendererEvent, message: EventMessage) => listener(message);
      ipcRenderer.on(EVENT_CHANNEL, handler);
      return () => {
        ipcRenderer.removeListener(EVENT_CHANNEL, handler);
      };
    },
  }),
);
