import type { CaseRecord } from '../../shared/domain/case';
import type { SignedDecision } from '../../shared/domain/decision';
import { formatNhsNumber } from '../../shared/domain/nhs-number';
import { describeOutcome, outcomeLabels } from '../../shared/domain/outcome-labels';
import { SEVEN_POINT_REFER_AT } from '../../shared/domain/seven-point-checklist';
import { londonDateOf } from '../../shared/domain/working-days';

export interface LetterSection {
  heading: string;
  lines: string[];
}

export interface LetterContent {
  to: string[];
  title: string;
  patientLine: string;
  sections: LetterSection[];
  signature: string[];
  /** A preview of an unsigned draft: every page says so ("DRAFT — not signed"). */
  draft?: boolean;
}

/** The mark on every page of a draft's preview (and in place of its signature). */
export const DRAFT_MARK = 'DRAFT — not signed';

const ukDate = (isoDate: string): string => {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
};

/**
 * What the hub knows about a signed decision that the decision itself only claims: the signer's
 * registered name and GMC number from the hub's account, and the hub's own receipt time.
 */
export interface HubAttestation {
  registeredName: string;
  gmcNumber: string | null;
  receivedByHubAt: string;
}

const londonMinute = (iso: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  })
    .format(new Date(iso))
    .replace(',', '');

/** The signature block: the hub's attestation when there is one (a letter the hub issues). */
function signatureLines(decision: SignedDecision, hub: HubAttestation | undefined): string[] {
  const amendment = decision.version > 1 ? ` (amendment, version ${decision.version})` : '';
  if (!hub) {
    return [
      decision.signedBy.displayName,
      'Consultant Dermatologist',
      `Signed ${ukDate(londonDateOf(decision.signedAt))}${amendment}`,
    ];
  }
  const signed = londonMinute(decision.signedAt);
  const received = londonMinute(hub.receivedByHubAt);
  return [
    hub.registeredName,
    `Consultant Dermatologist${hub.gmcNumber ? `, GMC ${hub.gmcNumber}` : ''}`,
    signed === received
      ? `Signed ${signed}${amendment}`
      : `Signed ${signed} (workstation clock); received by the hub ${received}${amendment}`,
  ];
}

/**
 * What the outcome letter says, as data: the PDF renderer only lays it out. Pure, so its wording
 * is tested without a PDF. The patient's name and NHS number head the letter as NHS letters do.
 */
export function letterContent(record: CaseRecord, decision: SignedDecision, hub?: HubAttestation): LetterContent {
  const p = record.patient;
  const plan = decision.plan;
  const sections: LetterSection[] = [
    { heading: 'Outcome', lines: [outcomeLabels[decision.outcome.kind], describeOutcome(decision.outcome)] },
  ];
  sections.push({
    heading: 'Diagnosis',
    lines: [
      decision.diagnosis
        ? `${decision.diagnosis.label}${decision.diagnosis.snomedCode ? ` (SNOMED CT ${decision.diagnosis.snomedCode})` : ''}`
        : 'No diagnosis recorded.',
    ],
  });
  if (decision.downgradeAdvice) {
    sections.push({
      heading: 'Advice to the referrer about the suspected-cancer referral',
      lines: [
        decision.downgradeAdvice,
        'Only you, as the referrer, can downgrade this referral; it stays on the suspected cancer pathway until you do.',
      ],
    });
  }
  if (decision.sevenPointScore !== null) {
    sections.push({
      heading: 'Weighted 7-point checklist (NICE NG12)',
      lines: [
        decision.sevenPointScore >= SEVEN_POINT_REFER_AT
          ? `Score ${decision.sevenPointScore} (3 or more: suspected cancer pathway advised by NICE NG12).`
          : `Score ${decision.sevenPointScore} (below 3).`,
      ],
    });
  }
  const planLines: Array<[string, string]> = [
    ['First-line treatment', plan.firstLine],
    ['If that does not help', plan.nextSteps],
    ['When to re-refer', plan.reReferral],
    ['Safety-netting advice for the patient', plan.safetyNetting],
    ['Advice to the GP', plan.adviceToGp],
  ];
  sections.push({
    heading: 'Management plan',
    lines: planLines.filter(([, v]) => v.trim()).map(([k, v]) => `${k}: ${v.trim()}`),
  });
  if (plan.leaflets.length > 0) {
    sections.push({
      heading: 'Patient information leaflets (British Association of Dermatologists)',
      lines: plan.leaflets.map((l) => `${l.title}: ${l.url}`),
    });
  }
  return {
    to: [record.practice.clinician, record.practice.name, `ODS ${record.practice.odsCode}`],
    title: 'Teledermatology outcome',
    patientLine: `${p.givenName} ${p.familyName.toUpperCase()}, NHS number ${formatNhsNumber(p.nhsNumber)}, born ${ukDate(p.dateOfBirth)}`,
    sections,
    signature: signatureLines(decision, hub),
  };
}
