import { useState, type FormEvent } from 'react';
import { api, errorMessage } from '../../api/client';

/** Why, in words that do not repeat the heading (it is announced once, with the heading). */
const REASON_TEXT = {
  idle: 'It locked itself after a period without use.',
  manual: 'It was locked from this workstation.',
  reauthentication: 'For safety, DermDesk asks for your password at least every 12 hours.',
} as const;

/** Covers everything: while it shows, no patient data is in the page at all. */
export function LockScreen(props: {
  reason: keyof typeof REASON_TEXT | null;
  canUnlockOffline: boolean;
  onUnlocked: () => void;
}): React.JSX.Element {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('lock.unlock', { password });
      setPassword('');
      props.onUnlocked();
    } catch (err) {
      setError(errorMessage(err, 'Could not unlock.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="lock-screen" aria-labelledby="lock-heading" data-testid="lock-screen">
      <form onSubmit={(e) => void submit(e)} className="lock-card">
        {/* The one live region: heading and reason are announced together, once. */}
        <div role="status" data-testid="lock-announcement">
          <h1 id="lock-heading">DermDesk is locked</h1>
          <p>{REASON_TEXT[props.reason ?? 'manual']} Your work in progress is kept.</p>
        </div>
        {props.canUnlockOffline ? (
          <>
            <label htmlFor="unlock-password">Your password</label>
            <input
              id="unlock-password"
              type="password"
              autoComplete="current-password"
              autoFocus
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={error !== null}
              aria-describedby={error ? 'unlock-error' : undefined}
            />
            <button type="submit" disabled={busy || password === ''}>
              Unlock
            </button>
          </>
        ) : (
          <p>No credential is stored on this workstation: sign in to the hub again to unlock.</p>
        )}
        {error && (
          <p id="unlock-error" role="alert" className="error-state">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
