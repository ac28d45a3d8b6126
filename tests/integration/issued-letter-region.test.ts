import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../src/hub/store/s3-object-store';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { intakeReceiptSchema } from '../../src/shared/hub-api/intake-api';
import { emptyDoc, type AnnotationDoc } from '../../src/shared/domain/viewer/annotations';
import {
  addPractice,
  consultantDecides,
  practiceLogin,
  sampleSubmission,
  type TestPractice,
} from '../support/doors-fixture';
import { manualClock, startTestHub, type TestHub } from '../support/hub-fixture';
import { sampleDischarge } from '../support/sample-case';
import { startTestS3, type TestS3 } from '../support/s3-server';
import { createTestDatabase } from '../support/test-postgres';

/**
 * An issued letter in a region: two hubs on one PostgreSQL database and one S3 bucket. The
 * letter is rendered once, whichever hub is asked first and however many ask at once; both serve
 * the same bytes, after the marks change, and after its object is lost from the bucket.
 */
let s3: TestS3;
let a: TestHub;
let b: TestHub;
let objects: S3ObjectStore;
let practice: TestPractice;
const clock = manualClock(new Date('2026-11-30T09:00:00.000Z'));

const ring = (x: number): AnnotationDoc => ({
  ...emptyDoc(),
  shapes: [{ id: `r${x}`, kind: 'ellipse', color: '#ff0000', center: { x, y: 200 }, rx: 80, ry: 60 }],
});

beforeAll(async () => {
  s3 = await startTestS3('region-letters');
  const databaseUrl = await createTestDatabase();
  const store = () => new S3ObjectStore({ bucket: s3.bucket, prefix: 'images/', client: s3.client });
  objects = store();
  a = await startTestHub({ databaseUrl, objects: store(), now: clock.now });
  b = await startTestHub({ databaseUrl, objects: store(), now: clock.now });
  practice = await addPractice(a);
}, 300_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  objects?.close();
  await s3?.close();
});

describe('an issued letter on two hubs, one PostgreSQL database and one S3 bucket', () => {
  it('rendered once: the same bytes from both hubs at once, after the marks change and after the object is lost', async () => {
    const gp = await practiceLogin(a, practice);
    const sent = await fetch(`${a.url}${HUB_API_PREFIX}/intake/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gp}` },
      body: JSON.stringify(sampleSubmission(3)),
    });
    expect(sent.status).toBe(201);
    const { caseId } = intakeReceiptSchema.parse(await sent.json());

    // The consultant claims the case on hub A and marks a photograph, then signs (without
    // carrying the marks, as an older workstation does: the hub fixes the marks it holds).
    const token = await a.login();
    const auth = { authorization: `Bearer ${token}` };
    await fetch(`${a.url}${HUB_API_PREFIX}/batches/claim`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 50 }),
    });
    const kase = (await (await fetch(`${a.url}${HUB_API_PREFIX}/cases/${caseId}`, { headers: auth })).json()) as {
      images: { sha256: string }[];
    };
    const sha = kase.images[0]!.sha256;
    const mark = (base: number, doc: AnnotationDoc) =>
      fetch(`${b.url}${HUB_API_PREFIX}/cases/${caseId}/images/${sha}/annotations`, {
        method: 'PUT',
        headers: {
          ...auth,
          'content-type': 'application/json',
          'if-match': `"${base}"`,
          'idempotency-key': randomUUID(),
        },
        body: JSON.stringify({ doc }),
      });
    expect((await mark(0, ring(200))).status).toBe(200);
    const { decisionId } = await consultantDecides(a, token, caseId, sampleDischarge(), null, clock.now());

    const letter = async (hub: TestHub) => {
      const res = await fetch(
        `${hub.url}${HUB_API_PREFIX}/practice/cases/${caseId}/outcomes/${decisionId}/letter.pdf`,
        {
          headers: { authorization: `Bearer ${gp}` },
        },
      );
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const binary = async (hub: TestHub) => {
      const res = await fetch(`${hub.url}/fhir/r4/Binary/${decisionId}`, {
        headers: { authorization: `Bearer ${gp}` },
      });
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };

    const first = await Promise.all([letter(a), letter(b), binary(a), binary(b), letter(a), letter(b)]);
    const issued = first[0]!;
    for (const copy of first) expect(copy.equals(issued)).toBe(true);

    clock.advanceMinutes(60);
    expect((await mark(1, ring(500))).status).toBe(200);
    expect((await letter(b)).equals(issued)).toBe(true);

    const address = createHash('sha256').update(issued).digest('hex');
    expect(await objects.size(address)).toBe(issued.length);
    await objects.remove(address);
    expect(await objects.size(address)).toBeNull();
    expect((await binary(b)).equals(issued)).toBe(true);
    expect(await objects.size(address)).toBe(issued.length);
  });
});
