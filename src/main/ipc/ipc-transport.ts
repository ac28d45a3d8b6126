import { ipcMain, webContents } from 'electron';
import { methods, type Handlers } from '../../shared/contract';
import type { EventBus } from '../core/events/event-bus';
import { createIpcHandler } from './ipc-handler';

export const EVENT_CHANNEL = 'dermdesk:event';

/** Registers one ipcMain handler per contract method and forwards core events to every window. */
export function registerIpcTransport(
  handlers: Handlers,
  events: EventBus,
  trustedOrigins: readonly string[],
): () => void {
  const names = Object.keys(methods);
  for (const name of names) {
    ipcMain.handle(`dermdesk:rpc:${name}`, createIpcHandler(handlers, name, trustedOrigins, console.error));
  }
  const unsubscribe = events.subscribe((name, payload) => {
    for (const contents of webContents.getAllWebContents()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, { name, payload });
    }
  });
  return () => {
    unsubscribe();
    for (const name of names) ipcMain.removeHandler(`dermdesk:rpc:${name}`);
  };
}
