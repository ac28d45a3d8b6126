import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

/**
 * A logic-free bridge: invoke a contract method, listen to contract events. Nothing else of
 * Electron or Node reaches the page. Method names are checked by the main process, not here.
 */
const EVENT_CHANNEL = 'dermdesk:event';

contextBridge.exposeInMainWorld('dermdesk', {
  invoke: (method: string, input: unknown): Promise<unknown> => ipcRenderer.invoke(`dermdesk:rpc:${method}`, input),
  on: (listener: (message: unknown) => void): (() => void) => {
    const wrapped = (_event: IpcRendererEvent, message: unknown): void => listener(message);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
});
