import { useState } from 'react';
import type { CacheRecovery } from '../../../../shared/contract/sync-methods';
import { api, errorMessage } from '../../api/client';
import './cache-recovery-notice.css';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The sentences the consultant reads (pure, so the wording is one place). */
export function cacheRecoveryLines(r: CacheRecovery): string[] {
  const lines: string[] = [];
  if (r.movedAsideAt)
    lines.push(
      "This computer's keychain no longer opens the local cache. It was set aside unread (nothing was deleted); cases will sync again.",
    );
  if (r.decisionsDelivered > 0)
    lines.push(
      `${plural(r.decisionsDelivered, 'signed decision')} waiting to send ${r.decisionsDelivered === 1 ? 'was' : 'were'} delivered to the hub from the sealed journal.`,
    );
  else if (r.movedAsideAt && r.waiting === 0 && r.heldForReview === 0)
    lines.push('No signed decisions were waiting to send.');
  if (r.waiting > 0) {
    const what =
      r.waitingDecisions > 0
        ? `${plural(r.waitingDecisions, 'signed decision')} (and ${plural(r.waiting - r.waitingDecisions, 'other record')})`
        : plural(r.waiting, 'record');
    lines.push(`${what} from the old cache are kept in the sealed journal: sign in to deliver them to the hub.`);
  }
  if (r.heldForReview > 0)
    lines.push(
      `The hub kept ${plural(r.heldForReview, 'entry', 'entries')} for an administrator to review (being signed when the cache was lost, or the case changed since).`,
    );
  if (r.problem) lines.push(`Not delivered yet: ${r.problem}`);
  return lines;
}

/**
 * Key loss, told plainly: what happened to the cache and to the decisions that were waiting.
 * Fed from app.status (the status bar's one subscription) rather than subscribing itself: each
 * subscription is an EventSource on the test host, and Chromium allows only six per host.
 */
export function CacheRecoveryNotice(props: { recovery: CacheRecovery | null }): React.JSX.Element | null {
  const [error, setError] = useState<string | null>(null);
  const recovery = props.recovery;
  if (!recovery) return null;
  const dismiss = (): void => {
    api.call('sync.dismissCacheNotice', {}).then(
      () => setError(null),
      (e: unknown) => setError(errorMessage(e, 'The notice could not be dismissed.')),
    );
  };
  return (
    <section
      className="cache-recovery-notice"
      role="alert"
      aria-label="Local cache notice"
      data-testid="cache-recovery-notice"
    >
      <div>
        {cacheRecoveryLines(recovery).map((line) => (
          <p key={line}>{line}</p>
        ))}
        {error && <p className="cache-recovery-error">{error}</p>}
      </div>
      {recovery.waiting === 0 && (
        <button type="button" onClick={dismiss} aria-label="Dismiss the local cache notice">
          Dismiss
        </button>
      )}
    </section>
  );
}
