import type { CaseImagesData } from '../../../../shared/contract/image-methods';
import { formatNhsNumber } from '../../../../shared/domain/nhs-number';

/**
 * Whose images these are, on the pop-out window: on a second monitor the viewer is away from
 * the case it belongs to, so it names the patient (name, NHS number, date of birth) above them.
 */
export function PatientBanner(props: { patient: CaseImagesData['patient'] }): React.JSX.Element {
  const p = props.patient;
  return (
    <header className="patient-banner" data-testid="viewer-patient" aria-label="Patient">
      <strong data-testid="viewer-patient-name">
        {p.familyName.toUpperCase()}, {p.givenName}
      </strong>
      <span>
        NHS <span data-testid="viewer-patient-nhs">{formatNhsNumber(p.nhsNumber)}</span>
      </span>
      <span>Born {p.dateOfBirth}</span>
    </header>
  );
}
