import type { Handlers } from '../../../shared/contract';
import type { LockService } from '../lock/lock-service';
import type { SyncEngine } from './sync-engine';

type SyncHandlers = Pick<
  Handlers,
  'sync.status' | 'sync.signIn' | 'sync.signOut' | 'sync.run' | 'sync.dismissCacheNotice'
>;

export function syncHandlers(sync: SyncEngine, lock: LockService): SyncHandlers {
  return {
    'sync.status': () => sync.status(),
    // The password the hub just accepted also becomes the offline unlock credential (a scrypt
    // verifier in the keychain), so the screen can be unlocked on a train with no network.
    'sync.signIn': async (input) => {
      const status = await sync.signIn(input);
      await lock.rememberCredential(input.password);
      return status;
    },
    'sync.signOut': async () => {
      const status = await sync.signOut();
      await lock.forgetCredential();
      return status;
    },
    'sync.run': ({ claim }) => sync.run({ claim }),
    'sync.dismissCacheNotice': () => sync.dismissCacheNotice(),
  };
}
