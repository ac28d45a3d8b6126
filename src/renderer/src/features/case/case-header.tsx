import type { CaseDetailData } from '../../../../shared/contract/case-methods';
import { formatNhsNumber } from '../../../../shared/domain/nhs-number';

const PRIORITY_LABEL = { 'suspected-cancer': 'Suspected cancer', urgent: 'Urgent', routine: 'Routine' } as const;
const SEX_LABEL: Record<string, string> = { female: 'Female', male: 'Male' };

/**
 * Who and how urgent, in two short lines above the images: name, NHS number (with its check),
 * age and sex, priority, due date, practice; then the presenting complaint, so the referral's
 * gist is on screen even with the referral column folded away.
 */
export function CaseHeader(props: { detail: CaseDetailData }): React.JSX.Element {
  const { record, overdue, dueOn } = props.detail;
  const p = record.patient;
  const r = record.referral;
  return (
    <header className={`case-header priority-${r.priority}${overdue ? ' overdue' : ''}`}>
      <div className="case-title-row">
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
            <dd>{SEX_LABEL[p.sex] ?? p.sex}</dd>
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
        </dl>
      </div>
      <p className="case-complaint" title={r.presentingComplaint}>
        <span className="practice">
          {record.practice.name} ({record.practice.odsCode}), {record.practice.clinician}
        </span>{' '}
        · {r.presentingComplaint}
      </p>
    </header>
  );
}
