import { useEffect, useState } from 'react';
import type { AppStatus } from '../../../../shared/contract/app-methods';
import { api } from '../../api/client';
import { useApi } from '../../use-api';
import { SyncControls } from '../sync/sync-controls';
import { CacheRecoveryNotice } from '../sync/cache-recovery-notice';

/** Always visible: sync state, decisions waiting to go, who is signed in, and the sync controls. */
export function StatusBar(): React.JSX.Element {
  const [initial] = useApi('app.status', {}, []);
  const [pushed, setPushed] = useState<AppStatus | null>(null);
  useEffect(() => api.on('app.status-changed', setPushed), []);
  const status = pushed ?? (initial.status === 'ready' ? initial.value : null);

  return (
    <>
      <CacheRecoveryNotice recovery={status?.cacheRecovery ?? null} />
      <footer className="status-bar">
        <div className="status-text" role="status" aria-live="polite">
          {status === null ? (
            <span>{initial.status === 'error' ? `Core unavailable: ${initial.message}` : 'Starting…'}</span>
          ) : (
            <>
              <span data-testid="sync-state" data-state={status.sync.state}>
                {status.sync.label}
              </span>
              <span data-testid="pending-decisions">{status.sync.pendingDecisions} decisions waiting to sync</span>
              <span data-testid="consultant">
                {status.consultant ? status.consultant.displayName : 'Not signed in'}
              </span>
            </>
          )}
        </div>
        <SyncControls />
        {status && <span className="version">DermDesk {status.version}</span>}
      </footer>
    </>
  );
}
