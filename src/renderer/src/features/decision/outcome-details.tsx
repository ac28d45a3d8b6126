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
  const choice = <K extends ChoiceField>(label: string, field: K, options: Array<[DecisionForm[K], string]>) => (
    <Choice label={label} field={field} options={options} form={form} disabled={disabled} update={update} />
  );
  const mode = choice('Appointment', 'mode', [
    ['in-person', 'In person'],
    ['phone', 'Phone'],
    ['video', 'Video'],
  ]);
  switch (form.outcomeKind) {
    case 'routine-face-to-face':
      return (
        <div className="outcome-details">
          {choice('Clinic', 'clinic', [
            ['general', 'General dermatology'],
            ['subspecialty', 'Subspecialty'],
          ])}
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
          {choice('List', 'procedure', [
            ['biopsy', 'Biopsy'],
            ['skin-surgery', 'Skin surgery'],
          ])}
          {choice('Urgency', 'urgency', [
            ['routine', 'Routine'],
            ['urgent', 'Urgent'],
          ])}
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

type ChoiceField = 'mode' | 'clinic' | 'procedure' | 'urgency';

/** One labelled select bound to a form field (the outcome's detail choices). */
function Choice<K extends ChoiceField>(props: {
  label: string;
  field: K;
  options: Array<[DecisionForm[K], string]>;
  form: DecisionForm;
  disabled: boolean;
  update: (patch: Partial<DecisionForm>) => void;
}): React.JSX.Element {
  return (
    <label>
      {props.label}
      <select
        aria-label={props.label}
        value={props.form[props.field]}
        disabled={props.disabled}
        onChange={(e) => props.update({ [props.field]: e.target.value } as Partial<DecisionForm>)}
      >
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}
