import type { CaseRecord } from '../../shared/domain/case';
import { caseReference } from '../../shared/domain/case-reference';
import type { SignedDecision } from '../../shared/domain/decision';
import { verifiedSnomedCode } from '../../shared/domain/diagnoses';
import { formatNhsNumber } from '../../shared/domain/nhs-number';
import { describeOutcome, outcomeLabels } from '../../shared/domain/outcome-labels';
import { practiceActions } from '../../shared/domain/practice-actions';
import { SEVEN_POINT_REFER_AT } from '../../shared/domain/seven-point-checklist';
import { londonDateOf } from '../../shared/domain/working-days';
import { DEMO_LETTERHEAD, type Letterhead } from './letterhead';

export interface LetterSection {
  heading: string;
  lines: string[];
}

/**
 * The letter in the PRSB outpatient letter's order: the service's letterhead and contact details,
 * the letter date and references, the recipient and salutation, the patient block, then the
 * clinical sections (each present only when it has something to say) and the consultant's
 * signature block.
 */
export interface LetterContent {
  letterhead: string[];
  /** "Date: dd/mm/yyyy": the day the decision was signed (London), on both programs' copies. */
  date: string;
  references: string[];
  to: string[];
  salutation: string;
  title: string;
  /** Name, date of birth, NHS number and address (when known), one per line. */
  patient: string[];
  /** One line naming the patient (the PDF's document title). */
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
export const SIGNER_ROLE = 'Consultant Dermatologist';

function signatureLines(decision: SignedDecision, hub: HubAttestation | undefined): string[] {
  const amendment = decision.version > 1 ? ` (amendment, version ${decision.version})` : '';
  if (!hub) {
    return [
      decision.signedBy.displayName,
      SIGNER_ROLE,
      `Signed ${ukDate(londonDateOf(decision.signedAt))}${amendment}`,
    ];
  }
  const signed = londonMinute(decision.signedAt);
  const received = londonMinute(hub.receivedByHubAt);
  return [
    hub.registeredName,
    `${SIGNER_ROLE}${hub.gmcNumber ? `, GMC ${hub.gmcNumber}` : ''}`,
    signed === received
      ? `Signed ${signed}${amendment}`
      : `Signed ${signed} (workstation clock); received by the hub ${received}${amendment}`,
  ];
}

/** Options of {@link letterContent}: who issues it, and the service it comes from. */
export interface LetterOptions {
  /** The hub's attestation (a letter the hub issues); absent on the workstation's copy. */
  hub?: HubAttestation | undefined;
  /** The service's letterhead; the demo's when absent. */
  letterhead?: Letterhead | undefined;
}

const PRIORITY: Record<CaseRecord['referral']['priority'], string> = {
  routine: 'routine',
  urgent: 'urgent',
  'suspected-cancer': 'suspected cancer',
};

/** "Dear Dr Priya Shah": the referrer as the referral names them, with "Dr" only when it has no title. */
export function salutationFor(clinician: string): string {
  const name = clinician.trim();
  return /^(dr|mr|mrs|ms|miss|mx|prof|professor|sir|dame)\b\.?/i.test(name) ? `Dear ${name}` : `Dear Dr ${name}`;
}

function letterheadLines(l: Letterhead): string[] {
  return [
    l.serviceName,
    l.organisation,
    ...l.address,
    l.telephone ? `Telephone: ${l.telephone}` : '',
    l.email ? `Email: ${l.email}` : '',
  ].filter((line) => line.trim() !== '');
}

const nonEmpty = (lines: string[]): string[] => lines.map((l) => l.trim()).filter((l) => l !== '');

/**
 * What the outcome letter says, as data: the PDF renderer only lays it out. Pure, so its wording
 * is tested without a PDF. The headings are the PRSB outpatient letter's; a heading with nothing
 * under it is left out, never printed empty.
 */
export function letterContent(
  record: CaseRecord,
  decision: SignedDecision,
  options: LetterOptions = {},
): LetterContent {
  const p = record.patient;
  const plan = decision.plan;
  const sections: LetterSection[] = [];
  const section = (heading: string, lines: string[]): void => {
    const kept = nonEmpty(lines);
    if (kept.length > 0) sections.push({ heading, lines: kept });
  };
  const dx = decision.diagnosis;
  const code = dx ? verifiedSnomedCode(dx) : null;
  section('Diagnosis', [dx ? `${dx.label}${code ? ` (SNOMED CT ${code})` : ''}` : '']);
  section('Outcome and what happens next', [outcomeLabels[decision.outcome.kind], describeOutcome(decision.outcome)]);
  if (decision.downgradeAdvice?.trim()) {
    section('Advice to the referrer about the suspected-cancer referral', [
      decision.downgradeAdvice,
      'Only you, as the referrer, can downgrade this referral; it stays on the suspected cancer pathway until you do.',
    ]);
  }
  if (decision.sevenPointScore !== null) {
    section('Weighted 7-point checklist (NICE NG12)', [
      decision.sevenPointScore >= SEVEN_POINT_REFER_AT
        ? `Score ${decision.sevenPointScore} (3 or more: suspected cancer pathway advised by NICE NG12).`
        : `Score ${decision.sevenPointScore} (below 3).`,
    ]);
  }
  const planLine = (label: string, value: string): string => (value.trim() ? `${label}: ${value.trim()}` : '');
  section('Actions for the GP', [
    // The same list the inbox, the FHIR Tasks and the failsafe use (shared/domain/practice-actions.ts).
    ...practiceActions(decision).map((a) => a.text),
    planLine('First-line treatment', plan.firstLine),
    planLine('If that does not help', plan.nextSteps),
    planLine('When to re-refer', plan.reReferral),
    planLine('Advice to the GP', plan.adviceToGp),
  ]);
  section('Actions for the patient', [planLine('Safety-netting advice for the patient', plan.safetyNetting)]);
  section(
    'Information given: patient information leaflets (British Association of Dermatologists)',
    plan.leaflets.map((l) => `${l.title}: ${l.url}`),
  );
  const received = ukDate(londonDateOf(record.referral.receivedAt));
  return {
    letterhead: letterheadLines(options.letterhead ?? DEMO_LETTERHEAD),
    date: `Date: ${ukDate(londonDateOf(decision.signedAt))}`,
    references: [
      `Our reference: ${caseReference(record.id)}`,
      `Your referral of ${received} (${PRIORITY[record.referral.priority]})`,
    ],
    to: [record.practice.clinician, record.practice.name, `ODS ${record.practice.odsCode}`],
    salutation: salutationFor(record.practice.clinician),
    title: 'Teledermatology outcome',
    patient: nonEmpty([
      `Name: ${p.givenName} ${p.familyName.toUpperCase()}`,
      `Date of birth: ${ukDate(p.dateOfBirth)}`,
      `NHS number: ${formatNhsNumber(p.nhsNumber)}`,
      p.address && p.address.length > 0 ? `Address: ${p.address.join(', ')}` : '',
    ]),
    patientLine: `${p.givenName} ${p.familyName.toUpperCase()}, NHS number ${formatNhsNumber(p.nhsNumber)}, born ${ukDate(p.dateOfBirth)}`,
    sections,
    signature: signatureLines(decision, options.hub),
  };
}
