import type { Handlers } from '../../../shared/contract';
import type { CoreContext } from '../create-core';

type AppHandlers = Pick<Handlers, 'app.status' | 'app.echo'>;

export function appHandlers(ctx: CoreContext & { appVersion: string; schemaVersion: () => number }): AppHandlers {
  return {
    'app.status': () => ({
      version: ctx.appVersion,
      schemaVersion: ctx.schemaVersion(),
      consultant: null,
      sync: { state: 'offline', hubUrl: ctx.settings.get().hubUrl, lastSyncedAt: null, pendingDecisions: 0 },
    }),
    'app.echo': ({ text }) => ({ text, receivedAt: ctx.now().toISOString() }),
  };
}
