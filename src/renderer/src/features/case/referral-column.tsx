import type { CaseDetailData } from '../../../../shared/contract/case-methods';
import { BodyMapFigure } from './body-map-figure';
import { PriorCases } from './prior-cases';

/**
 * The referral as the consultant reads it, in its own column beside the images: the site on the
 * body map at the column's full width, then the minimum dataset, then earlier cases. Folded away,
 * it is a strip with one button (and `h`), so the referral is never more than a key away.
 */
export function ReferralColumn(props: {
  detail: CaseDetailData;
  open: boolean;
  onToggle: () => void;
}): React.JSX.Element {
  const { record } = props.detail;
  const r = record.referral;
  if (!props.open) {
    return (
      <aside className="referral-column folded" aria-label="Referral (folded)" data-testid="referral-column">
        <button
          type="button"
          className="fold-button"
          aria-expanded={false}
          aria-controls="referral-details"
          onClick={props.onToggle}
          title="Show the referral (h)"
        >
          <span className="fold-label">Referral</span> <kbd>h</kbd>
        </button>
      </aside>
    );
  }
  return (
    <aside className="referral-column" aria-labelledby="referral-heading" data-testid="referral-column">
      <div className="column-heading">
        <h3 id="referral-heading">Referral</h3>
        <button
          type="button"
          className="fold-button"
          aria-expanded={true}
          aria-controls="referral-details"
          onClick={props.onToggle}
          title="Fold the referral away for a larger image (h)"
        >
          Fold <kbd>h</kbd>
        </button>
      </div>
      <div id="referral-details" className="referral">
        <div className="site">
          <BodyMapFigure regionId={r.site.region} />
          <p className="site-description">
            {r.site.description.trim() ? r.site.description : <span className="muted">Site not described</span>}
          </p>
        </div>
        <dl className="referral-fields">
          <Field label="Presenting complaint" value={r.presentingComplaint} />
          <Field label="Duration" value={r.duration} />
          <Field label="Change over time" value={r.evolution} />
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
        <PriorCases priorCases={props.detail.priorCases} />
      </div>
    </aside>
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
