import { useEffect, useState } from 'react';
import type { SyncProgress, SyncStatus } from '../../../../shared/contract/sync-methods';
import { api, errorMessage } from '../../api/client';

/** The live sync status: loaded once, then kept current from the core's events. */
export function useSyncStatus(): { status: SyncStatus | null; progress: SyncProgress | null; error: string | null } {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.call('sync.status', {}).then(
      (s) => live && setStatus(s),
      (e: unknown) => live && setError(errorMessage(e, 'Sync status unavailable')),
    );
    const offStatus = api.on('sync.status-changed', (s) => {
      setStatus(s);
      if (s.progress === null) setProgress(null);
    });
    const offProgress = api.on('sync.progress', (p) => setProgress(p.phase === 'done' ? null : p));
    return () => {
      live = false;
      offStatus();
      offProgress();
    };
  }, []);
  return { status, progress, error };
}

export function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
