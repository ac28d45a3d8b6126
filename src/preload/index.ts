import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, RPC_CHANNEL_PREFIX } from '../shared/contract/ipc-channels';

/**
 * A logic-free bridge: invoke a contract method, listen to contract events. Nothing else of
 * Electron or Node reaches the page. Method names are checked by the main process, not here.
 */
contextBridge.exposeInMainWorld('dermdesk', {
  invoke: (method: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(RPC_CHANNEL_PREFIX + method, input),
  on: (listener: (message: unknown) => void): (() => void) => {
    const wrapped = (_event: IpcRendererEvent, message: unknown): void => listener(message);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
});
