import { useEffect, useState } from 'react';
import type { CaseDetailData } from '../../../../shared/contract/case-methods';
import { contentToForm, emptyDecisionForm } from '../../../../shared/domain/decision-form';
import { describeOutcome, outcomeLabels } from '../../../../shared/domain/outcome-labels';
import { api, errorMessage } from '../../api/client';
import { runCommand, useCommands } from '../shortcuts/command-bus';
import { DecisionFormView } from './decision-form-view';
import { PassOnDialog } from './pass-on-dialog';

/**
 * The decision side of the case view: locked without consent (and says why), the form while
 * undecided, the signed decision with its letter and amendment once signed.
 */
export function DecisionPanel(props: {
  detail: CaseDetailData;
  onChanged: () => void;
  onCaseClosed: () => void;
}): React.JSX.Element {
  const { detail } = props;
  const [amending, setAmending] = useState(false);
  const [passing, setPassing] = useState(false);
  const [letter, setLetter] = useState<
    { status: 'idle' } | { status: 'busy' } | { status: 'done'; path: string } | { status: 'error'; message: string }
  >({
    status: 'idle',
  });
  const consent = detail.record.referral.consent;
  const latest = detail.decisions.at(-1) ?? null;
  // The hub accepting (or refusing) the decision after the case was opened: shown at once,
  // without reloading the case (which would redraw the viewer and audit another view).
  const [liveSync, setLiveSync] = useState<{ decisionId: string; syncState: string } | null>(null);
  useEffect(
    () =>
      api.on('decision.sync-changed', (e) => {
        if (e.caseId === detail.record.id) setLiveSync({ decisionId: e.decisionId, syncState: e.syncState });
      }),
    [detail.record.id],
  );
  const syncState = liveSync && latest && liveSync.decisionId === latest.id ? liveSync.syncState : latest?.syncState;
  const canPassOn = !latest && detail.state !== 'passed-on';

  const makeLetter = (): void => {
    if (!latest) return;
    setLetter({ status: 'busy' });
    api.call('decision.letter', { decisionId: latest.id }).then(
      (r) => setLetter({ status: 'done', path: r.path }),
      (e: unknown) => setLetter({ status: 'error', message: errorMessage(e) }),
    );
  };

  useCommands((name) => {
    if (name === 'case.pass-on' && canPassOn) {
      setPassing(true);
      return true;
    }
    if (name === 'decision.letter' && latest) {
      makeLetter();
      return true;
    }
    if (name === 'decision.amend' && latest && !amending) {
      setAmending(true);
      return true;
    }
    return false;
  });

  const passOn = passing && (
    <PassOnDialog
      caseId={detail.record.id}
      onCancel={() => setPassing(false)}
      onDone={() => {
        setPassing(false);
        props.onCaseClosed();
      }}
    />
  );

  if (!consent?.given) {
    return (
      <aside className="decision-panel" aria-label="Decision">
        <div className="locked" role="alert" data-testid="consent-gate">
          <h3>Decision locked: no recorded consent</h3>
          <p>
            The practice has not recorded the patient's consent to this referral, so it cannot be triaged. Ask the
            practice to record consent; the case updates when the hub sends the new version.
          </p>
        </div>
        {canPassOn && (
          <button type="button" onClick={() => setPassing(true)}>
            Pass to a colleague <kbd>p</kbd>
          </button>
        )}
        {passOn}
      </aside>
    );
  }

  // The referrer answered the latest decision (more information): decide again, as an amendment.
  const answered = detail.answer !== null && latest !== null && detail.answer.decisionId === latest.id;
  if (latest && !amending && !answered) {
    return (
      <aside className="decision-panel" aria-label="Decision">
        <div className="signed" data-testid="signed-decision">
          <h3>Signed{latest.version > 1 ? ` (amendment, version ${latest.version})` : ''}</h3>
          <p>
            <strong>{outcomeLabels[latest.outcome.kind]}</strong>: {describeOutcome(latest.outcome)}
          </p>
          {latest.diagnosis && <p>Diagnosis: {latest.diagnosis.label}</p>}
          <p className="muted">
            {latest.signedBy.displayName}, {latest.signedAt.slice(0, 16).replace('T', ' ')} UTC · sync:{' '}
            <span data-testid="decision-sync-state">{syncState}</span>
            {latest.syncNote ? ` (${latest.syncNote})` : ''}
          </p>
          <div className="form-actions">
            <button type="button" onClick={makeLetter} disabled={letter.status === 'busy'}>
              Letter to the GP (PDF) <kbd>l</kbd>
            </button>
            <button type="button" onClick={() => setAmending(true)}>
              Amend <kbd>a</kbd>
            </button>
            <button type="button" className="primary" onClick={() => runCommand('worklist.open-next')}>
              Next case <kbd>n</kbd>
            </button>
          </div>
          <p role="status" data-testid="letter-state">
            {letter.status === 'done'
              ? `Letter saved: ${letter.path}`
              : letter.status === 'busy'
                ? 'Writing the letter…'
                : letter.status === 'error'
                  ? `Letter failed: ${letter.message}`
                  : ''}
          </p>
        </div>
      </aside>
    );
  }

  const initial = amending && latest ? contentToForm(latest) : (detail.draft?.form ?? emptyDecisionForm());
  return (
    <aside className="decision-panel" aria-label="Decision">
      {detail.draft?.recovered && (
        <p className="warn-banner" role="alert">
          The saved draft could not be read and was reset. Please re-enter the decision.
        </p>
      )}
      <DecisionFormView
        detail={detail}
        initial={initial}
        supersedes={(amending || answered) && latest ? latest.id : null}
        {...(answered && !amending ? { title: 'Decision after the answer' } : {})}
        onSigned={() => {
          setAmending(false);
          props.onChanged();
        }}
        {...(amending ? { onCancelAmend: () => setAmending(false) } : {})}
      />
      {canPassOn && (
        <button type="button" className="link" onClick={() => setPassing(true)}>
          Pass to a colleague instead <kbd>p</kbd>
        </button>
      )}
      {passOn}
    </aside>
  );
}
