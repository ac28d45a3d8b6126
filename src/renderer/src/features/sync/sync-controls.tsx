import { useCallback, useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { useCommands } from '../shortcuts/command-bus';
import { DecisionIssues } from './decision-issues';
import { SignInDialog } from './sign-in-dialog';
import { formatBytes, useSyncStatus } from './use-sync-status';
import './sync.css';

const SHORTCUT = 'Control+Shift+S';

/** Sign-in, the sync button (Ctrl/Cmd+Shift+S), its progress bar, and decisions needing attention. */
export function SyncControls(): React.JSX.Element | null {
  const { status, progress } = useSyncStatus();
  const [signingIn, setSigningIn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A sync that worked but could not cache an earlier case for comparison says so until the next.
  const [warnings, setWarnings] = useState<string[]>([]);
  const signedIn = status?.consultant !== null && status?.consultant !== undefined;
  // Core says whether a sync can work (signed in AND the hub token is still there); when it
  // cannot, the bar offers sign-in, never a Sync button that answers "Sign in to the hub".
  const canSync = status?.canSync === true;

  const sync = useCallback(async () => {
    setError(null);
    setWarnings([]);
    try {
      setWarnings((await api.call('sync.run', { claim: 10 })).warnings ?? []);
    } catch (e) {
      setError(errorMessage(e, 'Sync failed'));
    }
  }, []);

  // Ctrl/Cmd+Shift+S reaches here through the window key map (features/shortcuts/key-map.ts).
  useCommands((name) => {
    if (name !== 'sync.run') return false;
    if (canSync) void sync();
    else setSigningIn(true);
    return true;
  });

  if (!status) return null;
  const syncing = status.state === 'syncing';
  // A failure is shown only while core still derives a failed state: once the hub answers again
  // (the outbox delivered, a later sync worked) it goes, never lingering after the fact.
  const failing = status.state === 'error' || status.state === 'offline';
  const shownError = failing ? (status.lastError ?? error) : null;
  const shown = progress ?? status.progress;
  return (
    <div className="sync-controls">
      {canSync || syncing ? (
        <button
          type="button"
          onClick={() => void sync()}
          disabled={syncing}
          aria-keyshortcuts={SHORTCUT}
          title="Sync (Ctrl+Shift+S)"
        >
          {syncing ? 'Syncing…' : 'Sync now'}
        </button>
      ) : (
        <button type="button" onClick={() => setSigningIn(true)} aria-keyshortcuts={SHORTCUT}>
          {signedIn ? 'Sign in again' : 'Sign in to hub'}
        </button>
      )}
      {signedIn && (
        <button type="button" onClick={() => void api.call('sync.signOut', {})}>
          Sign out
        </button>
      )}
      {shown && syncing && (
        <span className="sync-progress">
          <progress
            aria-label="Sync progress"
            max={Math.max(1, shown.bytesTotal)}
            value={Math.min(shown.bytesDone, shown.bytesTotal)}
            data-testid="sync-progress"
          />
          <span data-testid="sync-progress-text">
            {shown.casesDone}/{shown.casesTotal} cases · {formatBytes(shown.bytesDone)} of{' '}
            {formatBytes(shown.bytesTotal)}
          </span>
        </span>
      )}
      {shownError && (
        <span role="alert" className="sync-error" data-testid="sync-error">
          {shownError}
        </span>
      )}
      {!shownError && warnings.length > 0 && (
        <span role="status" className="sync-warning" data-testid="sync-warning" title={warnings.join('\n')}>
          {warnings[0]}
          {warnings.length > 1 && ` (and ${warnings.length - 1} more)`}
        </span>
      )}
      <DecisionIssues issues={status.issues} />
      {signingIn && <SignInDialog status={status} onClose={() => setSigningIn(false)} />}
    </div>
  );
}
