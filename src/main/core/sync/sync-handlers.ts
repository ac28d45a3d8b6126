import type { Handlers } from '../../../shared/contract';
import type { SyncEngine } from './sync-engine';

type SyncHandlers = Pick<Handlers, 'sync.status' | 'sync.signIn' | 'sync.signOut' | 'sync.run'>;

export function syncHandlers(sync: SyncEngine): SyncHandlers {
  return {
    'sync.status': () => sync.status(),
    'sync.signIn': (input) => sync.signIn(input),
    'sync.signOut': () => sync.signOut(),
    'sync.run': ({ claim }) => sync.run({ claim }),
  };
}
