import { useCallback, useEffect, useState } from 'react';
import type { CaseDetailData } from '../../../../shared/contract/case-methods';
import { formatNhsNumber } from '../../../../shared/domain/nhs-number';
import { api, ApiError } from '../../api/client';
import { DecisionPanel } from '../decision/decision-panel';
import { CaseImagesPanel } from '../viewer/case-images-panel';
import { PriorCases } from './prior-cases';
import { BodyMapFigure } from './body-map-figure';

const PRIORITY_LABEL = { 'suspected-cancer': 'Suspected cancer', urgent: 'Urgent', routine: 'Routine' } as const;

type Load =
  | { status: 'loading' }
  | { status: 'error'; message: string; key: string }
  | { status: 'ready'; detail: CaseDetailData; key: string };

/** The selected case: the referral as a consultant reads it, its images, and the decision form. */
export function CasePane(props: { caseId: string | null; onCaseClosed: () => void }): React.JSX.Element {
  const [loaded, setLoad] = useState<Load>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const key = `${props.caseId ?? ''}#${tick}`;
  // A result for another case (or an older reload) reads as loading, never as this case.
  const load: Load = loaded.status !== 'loading' && loaded.key === key ? loaded : { status: 'loading' };

  useEffect(() => {
    if (!props.caseId) return;
    let live = true;
    api.call('case.get', { caseId: props.caseId }).then(
      (detail) => live && setLoad({ status: 'ready', detail, key }),
      (e: unknown) =>
        live && setLoad({ status: 'error', message: e instanceof ApiError ? e.message : 'Unexpected error', key }),
    );
    return () => {
      live = false;
    };
  }, [props.caseId, key]);

  return (
    <section id="case-pane" className="case-pane" aria-label="Case" tabIndex={-1}>
      {props.caseId === null ? (
        <div className="empty-state" data-testid="case-empty">
          <h2>No case open</h2>
          <p>Choose a case from the worklist (↑/↓ then Enter) to read the referral and see its images.</p>
          <p>
            Press <kbd>?</kbd> for every keyboard shortcut, <kbd>Ctrl+K</kbd> for the command palette.
          </p>
        </div>
      ) : load.status === 'loading' ? (
        <p className="empty-state">Opening the case…</p>
      ) : load.status === 'error' ? (
        <p className="error-state" role="alert">
          Could not open this case: {load.message}
        </p>
      ) : (
        <CaseView
          key={load.detail.record.id}
          detail={load.detail}
          onChanged={reload}
          onCaseClosed={props.onCaseClosed}
        />
      )}
    </section>
  );
}

function CaseView(props: {
  detail: CaseDetailData;
  onChanged: () => void;
  onCaseClosed: () => void;
}): React.JSX.Element {
  const { record, overdue, dueOn } = props.detail;
  const p = record.patient;
  const r = record.referral;
  return (
    <article className="case-view" data-testid="case-view" aria-labelledby="case-title">
      <header className={`case-header priority-${r.priority}${overdue ? ' overdue' : ''}`}>
        <h2 id="case-title">
          {p.familyName.toUpperCase()}, {p.givenName}
        </h2>
        <dl className="patient-facts">
          <div>
            <dt>NHS number</dt>
            <dd data-testid="nhs-number">
              {formatNhsNumber(p.nhsNumber)}{' '}
              {props.detail.nhsNumberValid ? (
                <span className="ok-badge">valid</span>
              ) : (
                <span className="warn-badge" role="alert">
                  check digit invalid: confirm with the practice
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>Born</dt>
            <dd>
              {p.dateOfBirth} ({props.detail.ageYears ?? '?'} y)
            </dd>
          </div>
          <div>
            <dt>Sex</dt>
            <dd>{p.sex}</dd>
          </div>
          <div>
            <dt>Priority</dt>
            <dd>
              <span className="priority-badge" data-testid="case-priority">
                {PRIORITY_LABEL[r.priority]}
              </span>
            </dd>
          </div>
          <div>
            <dt>Due</dt>
            <dd className={overdue ? 'overdue-text' : undefined}>{overdue ? `OVERDUE (was due ${dueOn})` : dueOn}</dd>
          </div>
          <div>
            <dt>Practice</dt>
            <dd>
              {record.practice.name} ({record.practice.odsCode}), {record.practice.clinician}
            </dd>
          </div>
        </dl>
      </header>
      {props.detail.state === 'needs-review' && props.detail.stateNote && (
        <p className="warn-banner" role="alert">
          Needs review after sync: {props.detail.stateNote}
        </p>
      )}
      <div className="case-columns">
        <div className="referral">
          <h3>Referral</h3>
          <dl className="referral-fields">
            <Field label="Presenting complaint" value={r.presentingComplaint} />
            <Field label="Duration" value={r.duration} />
            <Field label="Change over time" value={r.evolution} />
            <div className="field">
              <dt>Site</dt>
              <dd>
                {r.site.description.trim() ? r.site.description : <span className="muted">not described</span>}
                <BodyMapFigure regionId={r.site.region} />
              </dd>
            </div>
            <Field label="Symptoms" value={r.symptoms} />
            <Field label="History" value={r.history} />
            <Field label="Medication" value={r.medication} />
            <Field label="Allergies" value={r.allergies} />
            <Field label="Risk factors" value={r.riskFactors.join(', ')} />
            <Field
              label="Consent"
              value={
                r.consent?.given
                  ? `Recorded ${r.consent.recordedAt.slice(0, 10)} by ${r.consent.recordedBy}`
                  : 'NOT RECORDED'
              }
            />
            <Field label="Received" value={r.receivedAt.slice(0, 16).replace('T', ' ')} />
          </dl>
          <h3>Images</h3>
          <CaseImagesPanel caseId={record.id} images={record.images} />
          <PriorCases priorCases={props.detail.priorCases} />
        </div>
        <DecisionPanel detail={props.detail} onChanged={props.onChanged} onCaseClosed={props.onCaseClosed} />
      </div>
    </article>
  );
}

function Field(props: { label: string; value: string }): React.JSX.Element {
  return (
    <div className="field">
      <dt>{props.label}</dt>
      <dd>{props.value.trim() ? props.value : <span className="muted">not given</span>}</dd>
    </div>
  );
}
