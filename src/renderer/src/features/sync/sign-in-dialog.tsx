import { useEffect, useRef, useState } from 'react';
import type { SyncStatus } from '../../../../shared/contract/sync-methods';
import { api, errorMessage } from '../../api/client';

/**
 * Hub sign-in. The password goes straight to the core, which keeps only the hub's token (in the
 * keychain). In demo mode the embedded hub's demo account is prefilled.
 */
export function SignInDialog(props: { status: SyncStatus; onClose: () => void }): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const [hubUrl, setHubUrl] = useState(props.status.hubUrl ?? '');
  const [username, setUsername] = useState(props.status.signInDefaults?.username ?? '');
  const [password, setPassword] = useState(props.status.signInDefaults?.password ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('sync.signIn', { ...(hubUrl.trim() ? { hubUrl: hubUrl.trim() } : {}), username, password });
      props.onClose();
    } catch (e) {
      setError(errorMessage(e, 'Sign-in failed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="sync-dialog" aria-labelledby="sign-in-title" onClose={props.onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <h2 id="sign-in-title">Sign in to the referral hub</h2>
        {props.status.signInDefaults && (
          <p className="sync-hint">Demo mode: the built-in hub&apos;s demo account is filled in.</p>
        )}
        <label>
          Hub address
          <input type="url" value={hubUrl} onChange={(e) => setHubUrl(e.target.value)} required />
        </label>
        <label>
          Username
          <input
            autoFocus
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            required
          />
        </label>
        <label>
          Password
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            required
          />
        </label>
        {error && (
          <p role="alert" className="sync-error">
            {error}
          </p>
        )}
        <div className="sync-dialog-actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
