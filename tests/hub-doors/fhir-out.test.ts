import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import {
  BODY_MAP_SYSTEM,
  IMAGE_KIND_SYSTEM,
  NHS_NUMBER_SYSTEM,
  bundleToSubmission,
} from '../../src/shared/hub-api/fhir-bundle';
import {
  addPractice,
  consultantDecides,
  practiceLogin,
  sampleBundle,
  sampleSubmission,
} from '../support/doors-fixture';
import { fhirProblems } from '../support/fhir-validator';
import { manualClock, startTestHub, type TestHub } from '../support/hub-fixture';
import { pdfText } from '../support/pdf-text';
import { sampleDischarge } from '../support/sample-case';
import { makeTempDir } from '../support/temp-dir';
import type { TestPractice } from '../support/doors-fixture';

const clock = manualClock(new Date('2026-12-07T09:00:00.000Z'));
let hub: TestHub;
let practice: TestPractice;
let other: TestPractice;

type Json = Record<string, unknown>;
type SearchBundle = {
  resourceType: string;
  total: number;
  entry?: { fullUrl: string; resource: Json }[];
  link: Json[];
};

beforeAll(async () => {
  hub = await startTestHub({ now: clock.now, notify: { sweepIntervalMs: 3_600_000 } });
  practice = await addPractice(hub);
  other = await addPractice(hub, 'Y12345', 'Hillside Surgery');
});
afterAll(async () => hub?.close());

async function fhir(path: string, token: string | null): Promise<{ status: number; type: string; body: Json }> {
  const res = await fetch(`${hub.url}/fhir/r4${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Json };
}

async function search(path: string, token: string): Promise<SearchBundle> {
  const res = await fhir(path, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.type).toContain('application/fhir+json');
  expect(fhirProblems(res.body)).toEqual([]);
  for (const e of (res.body as SearchBundle).entry ?? []) expect(fhirProblems(e.resource)).toEqual([]);
  return res.body as SearchBundle;
}

async function refer(token: string, seed: number, nhsNumber?: string, suspectedCancer = false): Promise<string> {
  const s = sampleSubmission(seed, 1);
  if (nhsNumber) s.patient.nhsNumber = nhsNumber;
  if (suspectedCancer) s.referral.priority = 'suspected-cancer';
  const res = await fetch(`${hub.url}${HUB_API_PREFIX}/intake/referrals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(s),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { caseId: string }).caseId;
}

describe('FHIR R4 out: the practice pulls referrals, outcomes and its actions', () => {
  it('serves a valid ServiceRequest, DiagnosticReport (SNOMED CT diagnosis, letter PDF) and Tasks, searchable by patient and _lastUpdated', async () => {
    const token = await practiceLogin(hub, practice);
    const nhsA = sampleSubmission(41, 1).patient.nhsNumber;
    const decided = await refer(token, 41, undefined, true);
    const waiting = await refer(token, 42, nhsA);
    const otherPatient = await refer(token, 43);
    const consultant = await hub.login();
    const { decisionId } = await consultantDecides(
      hub,
      consultant,
      decided,
      sampleDischarge({
        outcome: { kind: 'urgent-face-to-face', mode: 'in-person' },
        diagnosis: { snomedCode: '254701007', label: 'Basal cell carcinoma of skin' },
        downgradeAdvice: 'Clinically a basal cell carcinoma: please downgrade from the suspected cancer pathway.',
      }),
      null,
      clock.now(),
    );
    await hub.hub.loop.sweep();

    // One patient's resources, by NHS number.
    const srs = await search(`/ServiceRequest?patient.identifier=${NHS_NUMBER_SYSTEM}|${nhsA}`, token);
    expect(srs.total).toBe(2);
    const byId = new Map(srs.entry!.map((e) => [e.resource['id'], e.resource]));
    expect(byId.get(decided)).toMatchObject({ status: 'completed', intent: 'order' });
    expect(byId.get(waiting)).toMatchObject({ status: 'active' });
    expect(byId.has(otherPatient)).toBe(false);
    expect(byId.get(decided)!['subject']).toMatchObject({ identifier: { system: NHS_NUMBER_SYSTEM, value: nhsA } });

    const reports = await search(`/DiagnosticReport?patient:identifier=${nhsA}`, token);
    expect(reports.total).toBe(1);
    const report = reports.entry![0]!.resource;
    expect(report).toMatchObject({
      id: decisionId,
      status: 'final',
      basedOn: [{ reference: `ServiceRequest/${decided}` }],
      conclusionCode: [{ coding: [{ system: 'http://snomed.info/sct', code: '254701007' }] }],
    });
    expect(report['conclusion']).toContain('Urgent face-to-face appointment');
    expect(report['conclusion']).toContain('please downgrade from the suspected cancer pathway');
    expect(JSON.stringify(report)).not.toMatch(/example\.(org|com)|dermdesk\.example/);

    // The letter behind presentedForm is the practice's PDF, readable only with its token.
    const url = (report['presentedForm'] as { url: string; contentType: string }[])[0]!;
    expect(url.contentType).toBe('application/pdf');
    const letter = await fetch(url.url, { headers: { authorization: `Bearer ${token}` } });
    expect(letter.status).toBe(200);
    expect(letter.headers.get('content-type')).toBe('application/pdf');
    const dir = makeTempDir('dermdesk-fhir-letter-');
    writeFileSync(join(dir.path, 'l.pdf'), Buffer.from(await letter.arrayBuffer()));
    const { text } = await pdfText(join(dir.path, 'l.pdf'));
    dir.remove();
    expect(text).toContain('Basal cell carcinoma of skin');
    const otherToken = await practiceLogin(hub, other);
    expect((await fetch(url.url, { headers: { authorization: `Bearer ${otherToken}` } })).status).toBe(404);

    // A Task per action the practice owes, open until acknowledged.
    const open = await search(`/Task?patient.identifier=${nhsA}&status=requested`, token);
    expect(open.entry!.map((e) => e.resource['id']).sort()).toEqual(
      [`${decisionId}-follow-plan`, `${decisionId}-review-downgrade`, `${decisionId}-urgent-appointment`].sort(),
    );
    expect(open.entry!.find((e) => e.resource['id'] === `${decisionId}-urgent-appointment`)!.resource).toMatchObject({
      priority: 'urgent',
      focus: { reference: `DiagnosticReport/${decisionId}` },
      owner: { identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: practice.odsCode } },
      restriction: { period: { end: '2026-12-09' } },
    });

    const beforeAck = clock.now().toISOString();
    clock.advanceMinutes(60);
    expect((await search(`/Task?_lastUpdated=gt${beforeAck}`, token)).total).toBe(0);
    const ack = await fetch(
      `${hub.url}${HUB_API_PREFIX}/practice/cases/${decided}/outcomes/${decisionId}/acknowledge`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      },
    );
    expect(ack.status).toBe(200);
    const changed = await search(
      `/Task?_lastUpdated=gt${beforeAck}&_lastUpdated=le${clock.now().toISOString()}`,
      token,
    );
    expect(changed.total).toBe(3);
    expect(changed.entry!.every((e) => e.resource['status'] === 'completed')).toBe(true);
    expect((await search(`/ServiceRequest?_lastUpdated=lt2026-12-07`, token)).total).toBe(0);

    // Read by id; another practice sees nothing of it.
    const read = await fhir(`/DiagnosticReport/${decisionId}`, token);
    expect(read.status).toBe(200);
    expect(fhirProblems(read.body)).toEqual([]);
    expect((await fhir(`/DiagnosticReport/${decisionId}`, otherToken)).status).toBe(404);
    expect((await search('/ServiceRequest', otherToken)).total).toBe(0);
  });

  it('pages with _count and a next link', async () => {
    const token = await practiceLogin(hub, practice);
    const first = await search('/ServiceRequest?_count=2', token);
    expect(first.total).toBe(3);
    expect(first.entry).toHaveLength(2);
    const next = first.link.find((l) => l['relation'] === 'next')!['url'] as string;
    const res = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
    const second = (await res.json()) as SearchBundle;
    expect(second.entry).toHaveLength(1);
    expect(second.link.some((l) => l['relation'] === 'next')).toBe(false);
  });

  it('refuses without a practice token, and names a bad search parameter, as OperationOutcomes', async () => {
    const token = await practiceLogin(hub, practice);
    const consultant = await hub.login();
    const cases: [string, string | null, number, string][] = [
      ['/ServiceRequest', null, 401, 'login'],
      ['/ServiceRequest', consultant, 403, 'forbidden'],
      ['/ServiceRequest?patient.identifier=urn:other|9434765919', token, 400, 'invalid'],
      ['/ServiceRequest?patient.identifier=123', token, 400, 'invalid'],
      ['/ServiceRequest?_lastUpdated=yesterday', token, 400, 'invalid'],
      ['/ServiceRequest?patient=Patient/1', token, 400, 'invalid'],
      ['/Task?_count=100000', token, 400, 'invalid'],
      ['/Task/no-such-task', token, 404, 'not-found'],
      ['/Task/..%2F..%2Fetc', token, 404, 'not-found'],
    ];
    for (const [path, who, status, code] of cases) {
      const res = await fhir(path, who);
      expect(res.status, path).toBe(status);
      expect(res.body, path).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code }] });
      expect(fhirProblems(res.body), path).toEqual([]);
    }
  });

  it('publishes a valid CapabilityStatement, and the intake Bundle a practice sends validates too', async () => {
    // Every FHIR and operator route /openapi.json documents is served by the hub.
    const doc = (await (await fetch(`${hub.url}/openapi.json`)).json()) as { paths: Record<string, Json> };
    const documented = Object.entries(doc.paths).filter(([p]) => /^\/fhir\/r4\/|^\/api\/v1\/ops\//.test(p));
    expect(documented.length).toBeGreaterThanOrEqual(12);
    for (const [path, ops] of documented)
      for (const method of Object.keys(ops)) {
        const res = await fetch(`${hub.url}${path.replace(/\{\w+\}/g, 'B82005')}`, { method: method.toUpperCase() });
        expect(await res.text(), `${method} ${path}`).not.toContain('No such route on this hub');
      }
    const meta = await fhir('/metadata', null);
    expect(meta.status).toBe(200);
    expect(fhirProblems(meta.body)).toEqual([]);
    // The validator itself refuses what is wrong (a status outside its required ValueSet, an
    // element R4 does not have, a missing required element).
    expect(fhirProblems({ ...(meta.body as Json), status: 'live' })).not.toEqual([]);
    expect(fhirProblems({ ...(meta.body as Json), colour: 'blue' })).not.toEqual([]);
    expect(fhirProblems({ resourceType: 'Task', status: 'requested' })).not.toEqual([]);
    const bundle = sampleBundle(44);
    expect(fhirProblems(bundle)).toEqual([]);
    expect(JSON.stringify(bundle)).not.toContain('example');
    // Still understood with the first release's code system names.
    const legacy = JSON.parse(
      JSON.stringify(bundle)
        .replaceAll(BODY_MAP_SYSTEM, 'https://dermdesk.example/fhir/body-map')
        .replaceAll(IMAGE_KIND_SYSTEM, 'https://dermdesk.example/fhir/image-kind'),
    ) as Json;
    expect(bundleToSubmission(legacy)).toMatchObject({ ok: true });
  });
  it('codes a diagnosis only with a verified SNOMED CT code under its own name; otherwise sends the words alone', async () => {
    const token = await practiceLogin(hub, practice);
    const consultant = await hub.login();
    // Last in the file: these cases would change the counts the searches above expect.
    const cases = [await refer(token, 51), await refer(token, 52)];
    const diagnoses = [
      { snomedCode: '123456789', label: 'Something unverified' }, // a code we never verified
      { snomedCode: '254701007', label: 'Seborrhoeic keratosis' }, // a verified code under another name
    ];
    for (const [i, caseId] of cases.entries()) {
      const { decisionId } = await consultantDecides(
        hub,
        consultant,
        caseId,
        sampleDischarge({ diagnosis: diagnoses[i]! }),
        null,
        clock.now(),
      );
      const report = (await fhir(`/DiagnosticReport/${decisionId}`, token)).body as Record<string, unknown>;
      expect(report['conclusionCode']).toEqual([{ text: diagnoses[i]!.label }]);
    }
  });
});
