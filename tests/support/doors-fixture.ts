import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { BODY_MAP_SYSTEM, IMAGE_KIND_SYSTEM, NHS_NUMBER_SYSTEM } from '../../src/shared/hub-api/fhir-bundle';
import type { DecisionContent } from '../../src/shared/domain/decision';
import type { IntakeSubmission } from '../../src/shared/hub-api/intake-api';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { practiceLoginResponseSchema } from '../../src/shared/hub-api/practice-api';
import { dermoscopyFixtures } from './fixtures';
import { sampleNhsNumber } from './sample-case';
import type { TestHub } from './hub-fixture';

export interface TestPractice {
  username: string;
  password: string;
  odsCode: string;
  name: string;
}

let counter = 0;

/**
 * A GP practice account on a running test hub: a hub user with role gp-practice plus its
 * practice record, created through the hub's HubAdmin.
 */
export async function addPractice(
  hub: TestHub,
  odsCode = 'B82005',
  name = 'Riverside Medical Practice',
): Promise<TestPractice> {
  counter += 1;
  const username = `practice${counter}-${process.pid}`;
  const password = `pw-${username}-battery-staple`;
  await hub.hub.admin.createPractice({
    username,
    password,
    displayName: 'Dr Priya Shah',
    odsCode,
    practiceName: name,
  });
  return { username, password, odsCode, name };
}

export async function addOperator(hub: TestHub): Promise<{ username: string; password: string }> {
  counter += 1;
  const username = `operator${counter}-${process.pid}`;
  const password = `pw-${username}-battery-staple`;
  await hub.hub.admin.createUser({ username, password, displayName: 'Service operator', role: 'admin' });
  return { username, password };
}

export async function practiceLogin(hub: TestHub, practice: TestPractice): Promise<string> {
  const res = await fetch(`${hub.url}${HUB_API_PREFIX}/practice/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: practice.username, password: practice.password }),
  });
  if (res.status !== 200) throw new Error(`practice login failed: ${res.status} ${await res.text()}`);
  return practiceLoginResponseSchema.parse(await res.json()).token;
}

export function fixtureBase64(index = 0): string {
  return readFileSync(dermoscopyFixtures()[index % dermoscopyFixtures().length]!).toString('base64');
}

/** A complete, valid JSON referral with real dermoscopy images. */
export function sampleSubmission(seed = 1, imageCount = 2): IntakeSubmission {
  return {
    patient: {
      nhsNumber: sampleNhsNumber(5000 + seed),
      givenName: 'Grace',
      familyName: 'Hopper',
      dateOfBirth: '1956-12-09',
      sex: 'female',
    },
    clinician: 'Dr Priya Shah',
    referral: {
      priority: 'routine',
      presentingComplaint: 'New pigmented lesion on the back',
      duration: '3 months',
      evolution: 'Slowly enlarging',
      site: { region: 'chest-posterior', description: 'Left scapula' },
      symptoms: 'None',
      history: 'No previous skin cancer',
      medication: 'Ramipril',
      allergies: 'None known',
      riskFactors: ['history of sunburn'],
      consent: { given: true, recordedAt: '2026-11-23T09:00:00.000Z', recordedBy: 'Dr Priya Shah' },
    },
    images: Array.from({ length: imageCount }, (_, i) => ({
      kind: (['overview', 'close-up', 'dermoscopy'] as const)[i % 3]!,
      mediaType: 'image/jpeg' as const,
      data: fixtureBase64(seed + i),
    })),
  };
}

/** The same referral as a FHIR R4 transaction Bundle. */
export function sampleBundle(seed = 1): Record<string, unknown> {
  const s = sampleSubmission(seed);
  const entry = (resource: Record<string, unknown>, i: number) => ({
    fullUrl: `urn:uuid:00000000-0000-4000-8000-00000000000${i}`,
    resource,
    request: { method: 'POST', url: resource['resourceType'] },
  });
  const patientRef = { reference: 'urn:uuid:00000000-0000-4000-8000-000000000000' };
  const r = s.referral;
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        resourceType: 'Patient',
        identifier: [{ system: NHS_NUMBER_SYSTEM, value: s.patient.nhsNumber }],
        name: [{ family: s.patient.familyName, given: [s.patient.givenName] }],
        birthDate: s.patient.dateOfBirth,
        gender: s.patient.sex,
      },
      {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        priority: 'routine',
        subject: patientRef,
        requester: { display: s.clinician },
        reasonCode: [{ text: r.presentingComplaint }],
        bodySite: [{ coding: [{ system: BODY_MAP_SYSTEM, code: r.site.region }], text: r.site.description }],
      },
      {
        resourceType: 'QuestionnaireResponse',
        status: 'completed',
        subject: patientRef,
        item: [
          { linkId: 'duration', answer: [{ valueString: r.duration }] },
          { linkId: 'evolution', answer: [{ valueString: r.evolution }] },
          { linkId: 'symptoms', answer: [{ valueString: r.symptoms }] },
          { linkId: 'history', answer: [{ valueString: r.history }] },
          { linkId: 'medication', answer: [{ valueString: r.medication }] },
          { linkId: 'allergies', answer: [{ valueString: r.allergies }] },
          { linkId: 'risk-factors', answer: r.riskFactors.map((v) => ({ valueString: v })) },
        ],
      },
      {
        resourceType: 'Consent',
        status: 'active',
        scope: { text: 'patient-privacy' },
        category: [{ text: 'Consent to teledermatology referral' }],
        patient: patientRef,
        dateTime: r.consent!.recordedAt,
        performer: [{ display: r.consent!.recordedBy }],
      },
      {
        resourceType: 'DocumentReference',
        status: 'current',
        subject: patientRef,
        type: { coding: [{ system: IMAGE_KIND_SYSTEM, code: s.images[0]!.kind }] },
        content: [{ attachment: { contentType: 'image/jpeg', data: s.images[0]!.data } }],
      },
      {
        resourceType: 'Media',
        status: 'completed',
        subject: patientRef,
        view: { coding: [{ system: IMAGE_KIND_SYSTEM, code: s.images[1]!.kind }] },
        content: { contentType: 'image/jpeg', data: s.images[1]!.data },
      },
    ].map(entry),
  };
}

/** Drives the consultant side over the real consultant API: claim everything, then sign and upload. */
export async function consultantDecides(
  hub: TestHub,
  consultantToken: string,
  caseId: string,
  content: DecisionContent,
  previous: { id: string; version: number } | null = null,
  /** When the consultant signed (a hub on a moved clock refuses a signing before the referral). */
  signedAt: Date = new Date(),
): Promise<{ decisionId: string; status: number }> {
  const auth = { authorization: `Bearer ${consultantToken}` };
  await fetch(`${hub.url}${HUB_API_PREFIX}/batches/claim`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ count: 50 }),
  });
  const kase = await fetch(`${hub.url}${HUB_API_PREFIX}/cases/${caseId}`, { headers: auth });
  if (kase.status !== 200) throw new Error(`case not served to the consultant: ${kase.status} ${await kase.text()}`);
  const { version } = (await kase.json()) as { version: number };
  const me = await hub.hub.admin.findUser(hub.consultant.username);
  const decisionId = randomUUID();
  const decision = {
    ...content,
    id: decisionId,
    caseId,
    caseVersion: version,
    version: previous ? previous.version + 1 : 1,
    supersedes: previous ? previous.id : null,
    signedBy: { id: me!.id, displayName: me!.displayName },
    signedAt: signedAt.toISOString(),
  };
  const res = await fetch(`${hub.url}${HUB_API_PREFIX}/cases/${caseId}/decisions/${decisionId}`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': decisionId, 'if-match': `"${version}"` },
    body: JSON.stringify(decision),
  });
  if (res.status !== 201) throw new Error(`decision refused: ${res.status} ${await res.text()}`);
  return { decisionId, status: res.status };
}
