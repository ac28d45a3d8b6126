import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { z } from 'zod';
import type { lockStatusSchema } from '../../../../shared/contract/lock-methods';
import { api } from '../../api/client';
import { useCommands } from '../shortcuts/command-bus';
import { LockScreen } from './lock-screen';
import { flushBeforeLock } from './work-place';
import { useIdleTimer } from './use-idle-timer';

type LockStatus = z.infer<typeof lockStatusSchema>;

/**
 * Renders the app only while unlocked. Locking UNMOUNTS the app, so patient data leaves the DOM
 * (not merely hidden); drafts are autosaved in core, so nothing typed is lost. Ctrl/Cmd+L locks.
 */
export function LockGate(props: { children: ReactNode }): React.JSX.Element {
  const [status, setStatus] = useState<LockStatus | null>(null);

  const refresh = useCallback(() => {
    void api.call('lock.status', {}).then(setStatus, () => undefined);
  }, []);

  useEffect(() => {
    refresh();
    return api.on('lock.changed', refresh);
  }, [refresh]);

  const lockNow = useCallback((reason: 'idle' | 'manual') => {
    // A draft typed in the last moment is saved first: the locked core refuses writes.
    void flushBeforeLock().then(() => api.call('lock.lock', { reason }));
  }, []);
  const onIdle = useCallback(() => lockNow('idle'), [lockNow]);
  useIdleTimer(status && !status.locked ? status.idleMinutes : null, onIdle);

  // Ctrl/Cmd+L reaches here through the window key map (features/shortcuts/key-map.ts).
  useCommands((name) => {
    if (name !== 'app.lock') return false;
    lockNow('manual');
    return true;
  });

  if (status?.locked) {
    return <LockScreen reason={status.reason} canUnlockOffline={status.canUnlockOffline} onUnlocked={refresh} />;
  }
  return <>{props.children}</>;
}
