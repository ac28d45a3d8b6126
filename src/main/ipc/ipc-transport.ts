import { ipcMain, webContents } from 'electron';
import { methods, type Handlers } from '../../shared/contract';
import { EVENT_CHANNEL, RPC_CHANNEL_PREFIX } from '../../shared/contract/ipc-channels';
import type { EventBus } from '../core/events/event-bus';
import type { Logger } from '../core/logging/logger';
import { createIpcHandler } from './ipc-handler';

/** Registers one ipcMain handler per contract method and forwards core events to every window. */
export function registerIpcTransport(
  handlers: Handlers,
  events: EventBus,
  trustedOrigins: readonly string[],
  logger: Logger,
): () => void {
  const names = Object.keys(methods);
  for (const name of names) {
    ipcMain.handle(
      RPC_CHANNEL_PREFIX + name,
      createIpcHandler(handlers, name, trustedOrigins, (message, error) =>
        logger.error({ err: error, method: name }, message),
      ),
    );
  }
  const unsubscribe = events.subscribe((name, payload) => {
    for (const contents of webContents.getAllWebContents()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, { name, payload });
    }
  });
  return () => {
    unsubscribe();
    for (const name of names) ipcMain.removeHandler(RPC_CHANNEL_PREFIX + name);
  };
}
