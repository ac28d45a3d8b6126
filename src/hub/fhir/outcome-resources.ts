import type { CaseRecord } from '../../shared/domain/case';
import { caseReference } from '../../shared/domain/case-reference';
import { verifiedSnomedCode } from '../../shared/domain/diagnoses';
import { describeOutcome } from '../../shared/domain/outcome-labels';
import { practiceActions } from '../../shared/domain/practice-actions';
import { FHIR_PRIORITY_OF, NHS_NUMBER_SYSTEM } from '../../shared/hub-api/fhir-bundle';
import type { InboxOutcome } from '../../shared/hub-api/practice-api';
import type { CaseStatus } from '../store/hub-repository';
import type { OutcomeTrackingRow } from '../store/outcome-loop-repository';

/**
 * The outcome as FHIR R4 resources a GP system can file, built purely from what the hub holds:
 *   ServiceRequest  the referral (id = case id) with its status
 *   DiagnosticReport the consultant's outcome (id = decision id): coded diagnosis (SNOMED CT),
 *                    the outcome and plan as its conclusion, the letter PDF as presentedForm
 *   Task            one per action the practice owes (id = `<decision id>-<action code>`),
 *                    completed once the practice acknowledged the outcome
 * Code systems are real ones: SNOMED CT, LOINC, the NHS number and ODS code systems, the GMC
 * number system of HL7 UK Core. The patient is referenced by NHS number (a logical reference),
 * which is what `patient.identifier` searches match.
 */
export const SNOMED = 'http://snomed.info/sct';
export const LOINC = 'http://loinc.org';
export const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const GMC_SYSTEM = 'https://fhir.hl7.org.uk/Id/gmc-number';
export const URI_SYSTEM = 'urn:ietf:rfc:3986';

export type FhirResource = Record<string, unknown> & {
  resourceType: string;
  id: string;
  meta: { lastUpdated: string };
};

export interface CaseFacts {
  record: CaseRecord;
  status: CaseStatus;
  /** The latest outcome (the inbox's view of it), or null while awaiting triage. */
  outcome: InboxOutcome | null;
  tracking: OutcomeTrackingRow | null;
}

const SR_STATUS: Record<CaseStatus, string> = {
  open: 'active',
  'awaiting-information': 'on-hold',
  decided: 'completed',
  withdrawn: 'revoked',
};

const latest = (...instants: (string | null | undefined)[]): string =>
  instants.filter((i): i is string => Boolean(i)).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/** Instants as FHIR instants (always with milliseconds and Z). */
const instant = (iso: string): string => new Date(iso).toISOString();

function patientRef(record: CaseRecord) {
  const p = record.patient;
  return {
    type: 'Patient',
    identifier: { system: NHS_NUMBER_SYSTEM, value: p.nhsNumber },
    display: `${p.givenName} ${p.familyName}`,
  };
}

function practiceRef(record: CaseRecord) {
  return {
    type: 'Organization',
    identifier: { system: ODS_SYSTEM, value: record.practice.odsCode },
    display: record.practice.name,
  };
}

export function serviceRequest(f: CaseFacts): FhirResource {
  const { record } = f;
  const r = record.referral;
  return {
    resourceType: 'ServiceRequest',
    id: record.id,
    meta: {
      lastUpdated: instant(latest(r.receivedAt, f.outcome?.receivedByHubAt, f.tracking?.closedAt)),
    },
    identifier: [
      { system: URI_SYSTEM, value: `urn:uuid:${record.id}` },
      { use: 'secondary', type: { text: 'DermDesk case reference' }, value: caseReference(record.id) },
    ],
    status: SR_STATUS[f.status],
    intent: 'order',
    priority: FHIR_PRIORITY_OF[r.priority],
    code: { text: 'Teledermatology referral' },
    subject: patientRef(record),
    authoredOn: instant(r.receivedAt),
    requester: {
      ...practiceRef(record),
      display: `${record.practice.clinician}, ${record.practice.name}`,
    },
    reasonCode: [{ text: r.presentingComplaint }],
    ...(r.site.description ? { bodySite: [{ text: r.site.description }] } : {}),
  };
}

/** The diagnosis as a CodeableConcept: coded only with a verified SNOMED CT code for that label. */
function codedDiagnosis(diagnosis: InboxOutcome['diagnosis']) {
  if (!diagnosis) return { text: 'No diagnosis recorded' };
  const code = verifiedSnomedCode(diagnosis);
  return code
    ? { coding: [{ system: SNOMED, code, display: diagnosis.label }], text: diagnosis.label }
    : { text: diagnosis.label };
}

export function diagnosticReport(f: CaseFacts, letterUrl: string): FhirResource | null {
  const o = f.outcome;
  if (!o) return null;
  const plan = [
    ['First-line treatment', o.plan.firstLine],
    ['If that does not help', o.plan.nextSteps],
    ['When to re-refer', o.plan.reReferral],
    ['Safety-netting advice for the patient', o.plan.safetyNetting],
    ['Advice to the GP', o.plan.adviceToGp],
  ]
    .filter(([, v]) => v!.trim())
    .map(([k, v]) => `${k}: ${v!.trim()}`);
  const conclusion = [
    `${o.label}. ${describeOutcome(o.outcome)}`,
    ...(o.downgradeAdvice
      ? [
          `Advice to the referrer about the suspected-cancer referral: ${o.downgradeAdvice} Only you, as the referrer, can downgrade this referral.`,
        ]
      : []),
    ...plan,
    ...o.plan.leaflets.map((l) => `Leaflet: ${l.title} (${l.url})`),
  ].join('\n');
  return {
    resourceType: 'DiagnosticReport',
    id: o.decisionId,
    meta: { lastUpdated: instant(o.receivedByHubAt) },
    identifier: [{ system: URI_SYSTEM, value: `urn:uuid:${o.decisionId}` }],
    basedOn: [{ reference: `ServiceRequest/${f.record.id}` }],
    status: o.version > 1 ? 'amended' : 'final',
    code: { coding: [{ system: LOINC, code: '11488-4', display: 'Consult note' }], text: 'Teledermatology outcome' },
    subject: patientRef(f.record),
    effectiveDateTime: instant(o.signedAt),
    issued: instant(o.receivedByHubAt),
    performer: [
      {
        type: 'Practitioner',
        ...(o.gmcNumber ? { identifier: { system: GMC_SYSTEM, value: o.gmcNumber } } : {}),
        display: `${o.signedBy.displayName}, Consultant Dermatologist`,
      },
    ],
    conclusion,
    conclusionCode: [codedDiagnosis(o.diagnosis)],
    presentedForm: [
      {
        contentType: 'application/pdf',
        language: 'en-GB',
        url: letterUrl,
        title: `Teledermatology outcome letter ${caseReference(f.record.id)}`,
        creation: instant(o.receivedByHubAt),
      },
    ],
  };
}

/** One Task per action the practice owes for the latest outcome. */
export function tasks(f: CaseFacts): FhirResource[] {
  const o = f.outcome;
  if (!o) return [];
  const t = f.tracking;
  const closed = t?.closedAt ?? null;
  const status = !closed ? 'requested' : t?.closedReason === 'superseded' ? 'cancelled' : 'completed';
  const lastModified = latest(o.receivedByHubAt, t?.escalatedAt, closed);
  return practiceActions(o).map((a) => ({
    resourceType: 'Task',
    id: `${o.decisionId}-${a.code}`,
    meta: { lastUpdated: instant(lastModified) },
    identifier: [{ system: URI_SYSTEM, value: `urn:dermdesk-task:${o.decisionId}:${a.code}` }],
    basedOn: [{ reference: `ServiceRequest/${f.record.id}` }],
    focus: { reference: `DiagnosticReport/${o.decisionId}` },
    status,
    ...(t?.escalatedAt && !closed ? { businessStatus: { text: 'Escalated: not acknowledged in time' } } : {}),
    intent: 'order',
    priority: a.priority,
    code: { text: a.code },
    description: a.text,
    for: patientRef(f.record),
    authoredOn: instant(o.receivedByHubAt),
    lastModified: instant(lastModified),
    owner: practiceRef(f.record),
    ...(t?.dueOn ? { restriction: { period: { end: t.dueOn } } } : {}),
    ...(t?.acknowledgedAt
      ? { executionPeriod: { end: instant(t.acknowledgedAt) }, note: [{ text: 'Acknowledged by the practice.' }] }
      : {}),
  }));
}

/** Every resource of one case, in the order ServiceRequest, DiagnosticReport, Tasks. */
export function caseResources(f: CaseFacts, letterUrl: string): FhirResource[] {
  const report = diagnosticReport(f, letterUrl);
  return [serviceRequest(f), ...(report ? [report] : []), ...tasks(f)];
}
