import { JSON_PHOTO_DOOR_LIMIT } from '../../src/hub/http/route-policies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { intakeReceiptSchema, intakeRejectionSchema } from '../../src/shared/hub-api/intake-api';
import { FHIR_CONTENT_TYPE } from '../../src/shared/hub-api/fhir-bundle';
import { addPractice, fixtureBase64, practiceLogin, sampleBundle, sampleSubmission } from '../support/doors-fixture';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { dermoscopyFixtures } from '../support/fixtures';
import { readFileSync } from 'node:fs';

let hub: TestHub;
let token: string;

beforeAll(async () => {
  hub = await startTestHub();
  token = await practiceLogin(hub, await addPractice(hub));
});
afterAll(async () => hub.close());

const post = (path: string, body: unknown, type = 'application/json', auth = token) =>
  fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
    method: 'POST',
    headers: { 'content-type': type, authorization: `Bearer ${auth}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('GP referral intake (JSON)', () => {
  it('accepts a complete referral and the consultant API serves it with its images', async () => {
    const res = await post('/intake/referrals', sampleSubmission(1));
    expect(res.status).toBe(201);
    const receipt = intakeReceiptSchema.parse(await res.json());
    expect(receipt.imageCount).toBe(2);
    const row = await hub.hub.admin.findUser(hub.consultant.username);
    expect(row).not.toBeNull();
    const consultantToken = await hub.login();
    const claim = await fetch(`${hub.url}${HUB_API_PREFIX}/batches/claim`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${consultantToken}` },
      body: JSON.stringify({ count: 10 }),
    });
    const claimed = (await claim.json()) as { cases: { id: string }[] };
    expect(claimed.cases.map((c) => c.id)).toContain(receipt.caseId);
    const kase = (await (
      await fetch(`${hub.url}${HUB_API_PREFIX}/cases/${receipt.caseId}`, {
        headers: { authorization: `Bearer ${consultantToken}` },
      })
    ).json()) as {
      practice: { odsCode: string };
      referral: { receivedAt: string };
      images: { sha256: string; width: number }[];
    };
    expect(kase.practice.odsCode).toBe('B82005');
    expect(kase.referral.receivedAt).toBe(receipt.receivedAt);
    expect(kase.images.map((i) => i.width)).toEqual([600, 600]);
    const bytes = await fetch(`${hub.url}${HUB_API_PREFIX}/images/${kase.images[0]!.sha256}`, {
      headers: { authorization: `Bearer ${consultantToken}` },
    });
    expect(Buffer.from(await bytes.arrayBuffer()).equals(Buffer.from(fixtureBase64(1), 'base64'))).toBe(true);
  });

  it('refuses a referral with every field error at once: check digit, consent, dataset, image bytes', async () => {
    const s = sampleSubmission(2);
    const nhs = s.patient.nhsNumber;
    const wrongCheck = nhs.slice(0, 9) + String((Number(nhs[9]) + 1) % 10);
    const truncated = readFileSync(dermoscopyFixtures()[0]!).subarray(0, 4000).toString('base64');
    const res = await post('/intake/referrals', {
      ...s,
      patient: { ...s.patient, nhsNumber: wrongCheck },
      referral: { ...s.referral, consent: null },
      images: [
        { kind: 'overview', mediaType: 'image/jpeg', data: truncated },
        { kind: 'close-up', mediaType: 'image/png', data: fixtureBase64(0) },
        { kind: 'dermoscopy', mediaType: 'image/jpeg', data: Buffer.from('<svg onload=alert(1)>').toString('base64') },
      ],
    });
    expect(res.status).toBe(422);
    const body = intakeRejectionSchema.parse(await res.json());
    const byField = Object.fromEntries(body.error.fields.map((f) => [f.field, f.message]));
    expect(byField['patient.nhsNumber']).toMatch(/check digit/);
    expect(byField['referral.consent']).toMatch(/consent/);
    expect(byField['images.0.data']).toMatch(/cut off \(truncated\)/);
    expect(byField['images.1.mediaType']).toMatch(/declared image\/png but the bytes are image\/jpeg/);
    expect(byField['images.2.data']).toMatch(/SVG drawing \(image\/svg\+xml\), not a photograph/);
  });

  it('names missing minimum-dataset items by field', async () => {
    const s = sampleSubmission(3);
    const res = await post('/intake/referrals', {
      ...s,
      referral: { ...s.referral, presentingComplaint: ' ', site: { region: '', description: '' } },
      images: [],
    });
    expect(res.status).toBe(422);
    const fields = intakeRejectionSchema.parse(await res.json()).error.fields.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['referral.presentingComplaint', 'referral.site.region', 'images']));
  });

  it('refuses a too-small image, a huge body and a caller without a practice login', async () => {
    const tiny = (await sharp(readFileSync(dermoscopyFixtures()[0]!)).resize(300, 225).jpeg().toBuffer()).toString(
      'base64',
    );
    const s = sampleSubmission(4, 1);
    const small = await post('/intake/referrals', {
      ...s,
      images: [{ kind: 'overview', mediaType: 'image/jpeg', data: tiny }],
    });
    expect(small.status).toBe(422);
    expect(JSON.stringify(await small.json())).toMatch(/300x225; at least 600x450/);

    const huge = Buffer.alloc(16 * 1024 * 1024, 0xff);
    huge[0] = 0xff;
    huge[1] = 0xd8;
    const big = await post('/intake/referrals', {
      ...s,
      images: [{ kind: 'overview', mediaType: 'image/jpeg', data: huge.toString('base64') }],
    });
    // Past the JSON door's small limit: refused whole (the 15 MB per-photograph limit is the
    // streamed door's, tests/hub-doors/photo-uploads.test.ts).
    expect(big.status).toBe(413);
    expect(JSON.stringify(await big.json())).toContain(`(${JSON_PHOTO_DOOR_LIMIT} bytes)`);

    const consultantToken = await hub.login();
    const wrongRole = await post('/intake/referrals', s, 'application/json', consultantToken);
    expect(wrongRole.status).toBe(403);
    const none = await fetch(`${hub.url}${HUB_API_PREFIX}/intake/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(401);
  });
});

describe('GP referral intake (FHIR R4 transaction Bundle)', () => {
  it('accepts a Bundle with DocumentReference and Media images', async () => {
    const res = await post('/intake/fhir', JSON.stringify(sampleBundle(5)), FHIR_CONTENT_TYPE);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(FHIR_CONTENT_TYPE);
    const body = (await res.json()) as { type: string; entry: { response: { status: string; location: string } }[] };
    expect(body.type).toBe('transaction-response');
    expect(body.entry[0]!.response.status).toBe('201 Created');
    expect(body.entry[0]!.response.location).toMatch(/^ServiceRequest\/[0-9a-f-]{36}$/);
  });

  it('refuses a malformed Bundle with an OperationOutcome naming each element', async () => {
    const bundle = sampleBundle(6) as { entry: { resource: Record<string, unknown> }[] };
    const patient = bundle.entry[0]!.resource as { identifier: { value: string }[] };
    const nhs = patient.identifier[0]!.value;
    patient.identifier[0]!.value = nhs.slice(0, 9) + String((Number(nhs[9]) + 1) % 10);
    bundle.entry = bundle.entry.filter((e) => e.resource['resourceType'] !== 'Consent');
    const media = bundle.entry.find((e) => e.resource['resourceType'] === 'Media')!.resource as {
      content: { contentType: string };
    };
    media.content.contentType = 'image/gif';
    const res = await post('/intake/fhir', JSON.stringify(bundle), FHIR_CONTENT_TYPE);
    expect(res.status).toBe(422);
    const outcome = (await res.json()) as {
      resourceType: string;
      issue: { expression: string[]; diagnostics: string }[];
    };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue.map((i) => i.expression[0])).toContain('Bundle.entry(Consent)');

    // With consent back, the remaining errors point into the Bundle's elements.
    const withConsent = sampleBundle(6) as { entry: { resource: Record<string, unknown> }[] };
    (withConsent.entry[0]!.resource as { identifier: { value: string }[] }).identifier[0]!.value =
      patient.identifier[0]!.value;
    (withConsent.entry[5]!.resource as { content: { contentType: string } }).content.contentType = 'image/gif';
    const res2 = await post('/intake/fhir', JSON.stringify(withConsent), FHIR_CONTENT_TYPE);
    expect(res2.status).toBe(422);
    const issues = ((await res2.json()) as { issue: { expression: string[]; diagnostics: string }[] }).issue;
    const at = Object.fromEntries(issues.map((i) => [i.expression[0], i.diagnostics]));
    expect(at['Bundle.entry[0].resource.identifier[0].value']).toMatch(/check digit/);
    expect(at['Bundle.entry[5].resource.content.contentType']).toBeDefined();
  });

  it('refuses non-JSON and non-Bundle bodies clearly', async () => {
    const garbage = await post('/intake/fhir', '{"resourceType": "Bund', FHIR_CONTENT_TYPE);
    expect(garbage.status).toBe(400);
    const notBundle = await post('/intake/fhir', JSON.stringify({ resourceType: 'Patient' }), FHIR_CONTENT_TYPE);
    expect(notBundle.status).toBe(422);
    expect(JSON.stringify(await notBundle.json())).toContain('Bundle.resourceType');
  });
});

describe('practice sign-in', () => {
  it('refuses wrong passwords alike for unknown users, and stops guessing after 5 failures', async () => {
    const practice = await addPractice(hub);
    const attempt = (password: string, username = practice.username) =>
      fetch(`${hub.url}${HUB_API_PREFIX}/practice/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
    expect((await attempt('wrong', 'nobody-here')).status).toBe(401);
    for (let i = 0; i < 5; i++) expect((await attempt(`wrong-${i}`)).status).toBe(401);
    const blocked = await attempt(practice.password);
    expect(blocked.status).toBe(429);
    // A consultant account is not a practice: no practice session for it.
    expect((await attempt(hub.consultant.password, hub.consultant.username)).status).toBe(401);
  });
});

describe("a date of birth in the future, by the hub's clock", () => {
  // Two hubs on fixed clocks far from today's date: the check must read the hub's clock, not the
  // machine's, or one of these fails whatever the date is when the suite runs.
  async function referWithBirthDate(hubToday: string, dateOfBirth: string): Promise<Response> {
    const clockHub = await startTestHub({ now: () => new Date(`${hubToday}T12:00:00.000Z`) });
    try {
      const practiceToken = await practiceLogin(clockHub, await addPractice(clockHub));
      const s = sampleSubmission(7);
      return await fetch(`${clockHub.url}${HUB_API_PREFIX}/intake/referrals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${practiceToken}` },
        body: JSON.stringify({ ...s, patient: { ...s.patient, dateOfBirth } }),
      });
    } finally {
      await clockHub.close();
    }
  }

  it('refuses a birth date after the hub’s today, even when the machine’s date is later', async () => {
    const res = await referWithBirthDate('2020-03-01', '2020-03-02');
    expect(res.status).toBe(422);
    const body = intakeRejectionSchema.parse(await res.json());
    expect(body.error.fields).toContainEqual({
      field: 'patient.dateOfBirth',
      message: "The patient's date of birth is in the future: check the year",
    });
  });

  it('accepts a birth date before the hub’s today, even when the machine’s date is earlier', async () => {
    const res = await referWithBirthDate('2099-06-01', '2099-05-31');
    expect(res.status).toBe(201);
  });
});
