import type { Handlers } from '../../../shared/contract';
import type { AppStatus } from '../../../shared/contract/app-methods';
import type { CoreContext } from './core-context';

type AppHandlers = Pick<Handlers, 'app.status' | 'app.echo'>;

export function appHandlers(ctx: CoreContext & { appVersion: string; schemaVersion: () => number }): AppHandlers {
  const status = (): AppStatus => {
    const sync = ctx.sync.status();
    return {
      version: ctx.appVersion,
      schemaVersion: ctx.schemaVersion(),
      consultant: sync.consultant,
      sync: {
        state: sync.state,
        label: sync.label,
        hubUrl: sync.hubUrl,
        lastSyncedAt: sync.lastSyncedAt,
        pendingDecisions: sync.pendingDecisions,
      },
      cacheRecovery: sync.cacheRecovery,
    };
  };
  // The status bar listens to app.status-changed: re-announce it whenever sync state moves.
  ctx.events.subscribe((name) => {
    if (name === 'sync.status-changed') ctx.events.emit('app.status-changed', status());
  });
  return {
    'app.status': () => status(),
    'app.echo': ({ text }) => ({ text, receivedAt: ctx.now().toISOString() }),
  };
}
