import { moreInformationItems } from '../../../../shared/domain/decision';
import type { DecisionForm } from '../../../../shared/domain/decision-form';

const MORE_INFO_LABEL: Record<(typeof moreInformationItems)[number], string> = {
  dermoscopy: 'Dermoscopy image',
  scale: 'Image with a scale',
  'close-up': 'Lesion close-up',
  overview: 'Overview (locating) image',
  history: 'History item',
};

/** The detail fields of the chosen outcome (mode, clinic, specialty, weeks, what is needed). */
export function OutcomeDetails(props: {
  form: DecisionForm;
  disabled: boolean;
  update: (patch: Partial<DecisionForm>) => void;
}): React.JSX.Element | null {
  const { form, update, disabled } = props;
  const mode = (
    <label>
      Appointment
      <select
        aria-label="Appointment"
        value={form.mode}
        disabled={disabled}
        onChange={(e) => update({ mode: e.target.value as DecisionForm['mode'] })}
      >
        <option value="in-person">In person</option>
        <option value="phone">Phone</option>
        <option value="video">Video</option>
      </select>
    </label>
  );
  switch (form.outcomeKind) {
    case 'routine-face-to-face':
      return (
        <div className="outcome-details">
          <label>
            Clinic
            <select
              aria-label="Clinic"
              value={form.clinic}
              disabled={disabled}
              onChange={(e) => update({ clinic: e.target.value as DecisionForm['clinic'] })}
            >
              <option value="general">General dermatology</option>
              <option value="subspecialty">Subspecialty</option>
            </select>
          </label>
          {form.clinic === 'subspecialty' && (
            <label>
              Subspecialty clinic
              <input
                type="text"
                value={form.subspecialty}
                disabled={disabled}
                onChange={(e) => update({ subspecialty: e.target.value })}
              />
            </label>
          )}
          {mode}
        </div>
      );
    case 'urgent-face-to-face':
      return <div className="outcome-details">{mode}</div>;
    case 'procedure-list':
      return (
        <div className="outcome-details">
          <label>
            List
            <select
              aria-label="List"
              value={form.procedure}
              disabled={disabled}
              onChange={(e) => update({ procedure: e.target.value as DecisionForm['procedure'] })}
            >
              <option value="biopsy">Biopsy</option>
              <option value="skin-surgery">Skin surgery</option>
            </select>
          </label>
          <label>
            Urgency
            <select
              aria-label="Urgency"
              value={form.urgency}
              disabled={disabled}
              onChange={(e) => update({ urgency: e.target.value as DecisionForm['urgency'] })}
            >
              <option value="routine">Routine</option>
              <option value="urgent">Urgent</option>
            </select>
          </label>
        </div>
      );
    case 'onward-referral':
      return (
        <div className="outcome-details">
          <label>
            Refer on to (specialty)
            <input
              type="text"
              value={form.specialty}
              disabled={disabled}
              onChange={(e) => update({ specialty: e.target.value })}
            />
          </label>
        </div>
      );
    case 'teledermatology-follow-up':
      return (
        <div className="outcome-details">
          <label>
            Re-photograph after (weeks)
            <input
              type="number"
              min={1}
              max={52}
              value={form.weeks}
              disabled={disabled}
              onChange={(e) => update({ weeks: Math.min(52, Math.max(1, Number(e.target.value) || 1)) })}
            />
          </label>
        </div>
      );
    case 'more-information':
      return (
        <fieldset className="outcome-details">
          <legend>What is needed</legend>
          {moreInformationItems.map((item) => (
            <label key={item} className="check">
              <input
                type="checkbox"
                disabled={disabled}
                checked={form.requests.includes(item)}
                onChange={(e) =>
                  update({
                    requests: e.target.checked ? [...form.requests, item] : form.requests.filter((r) => r !== item),
                  })
                }
              />
              {MORE_INFO_LABEL[item]}
            </label>
          ))}
          <label>
            Exactly what the referrer should send
            <textarea
              value={form.detail}
              disabled={disabled}
              rows={2}
              onChange={(e) => update({ detail: e.target.value })}
            />
          </label>
        </fieldset>
      );
    default:
      return null;
  }
}
