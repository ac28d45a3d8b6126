import type { Handlers, MethodName } from '../../../shared/contract';
import { AppError } from '../../../shared/contract/errors';
import { methodsAllowedWhileLocked } from '../../../shared/contract/lock-methods';
import type { LockService } from '../lock/lock-service';

export function lockHandlers(lock: LockService): Pick<Handlers, 'lock.status' | 'lock.lock' | 'lock.unlock'> {
  return {
    'lock.status': () => lock.status(),
    'lock.lock': ({ reason }) => {
      lock.lock(reason);
      return { locked: true as const };
    },
    'lock.unlock': async ({ password }) => {
      await lock.unlock(password);
      return { locked: false as const };
    },
  };
}

/**
 * Wraps every handler so that, while locked, only the lock screen's methods answer. Enforced in
 * core rather than the UI because a page left open must not be able to fetch patient data.
 */
export function guardWhileLocked(lock: LockService, handlers: Handlers): Handlers {
  const allowed = new Set<string>(methodsAllowedWhileLocked);
  const guarded = {} as Record<MethodName, (input: unknown) => unknown>;
  for (const [name, handler] of Object.entries(handlers) as [MethodName, (input: unknown) => unknown][]) {
    guarded[name] = allowed.has(name)
      ? handler
      : (input: unknown) => {
          if (lock.isLocked()) throw new AppError('locked', 'DermDesk is locked. Unlock it to continue.');
          return handler(input);
        };
  }
  return guarded as Handlers;
}
