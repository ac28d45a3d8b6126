import { createHash, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_API_PREFIX, hubErrorSchema } from '../../src/shared/hub-api/consultant-api';
import { intakeReceiptSchema, intakeRejectionSchema } from '../../src/shared/hub-api/intake-api';
import { createLinkResponseSchema } from '../../src/shared/hub-api/patient-link-api';
import { photoUploadReceiptSchema } from '../../src/shared/hub-api/upload-api';
import { FsObjectStore } from '../../src/hub/store/fs-object-store';
import { S3ObjectStore } from '../../src/hub/store/s3-object-store';
import { CORRUPT_MESSAGE, TRUNCATED_MESSAGE } from '../../src/hub/intake/image-checks';
import { UNKNOWN_UPLOAD_MESSAGE } from '../../src/hub/intake/submitted-images';
import { addPractice, consultantDecides, practiceLogin, sampleSubmission } from '../support/doors-fixture';
import { dermoscopyFixtures } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { objectFiles } from '../support/object-files';
import { startTestS3, type TestS3 } from '../support/s3-server';
import { makeTempDir } from '../support/temp-dir';
import { sampleDischarge } from '../support/sample-case';

/**
 * The streamed photograph doors (POST /uploads/photos for a practice, /patient-links/<t>/photos
 * for a patient) on the real hub over loopback HTTP: the photograph's own bytes go to the object
 * store as they arrive, are checked there, and come back as an uploadId that only the uploader
 * may cite in a referral, an answer or a link submission.
 */

const photo = (i = 0) => readFileSync(dermoscopyFixtures()[i % dermoscopyFixtures().length]!);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let clock = new Date('2026-11-30T09:00:00.000Z');

let hub: TestHub;
let token: string;
let otherToken: string;
let practice: Awaited<ReturnType<typeof addPractice>>;

beforeAll(async () => {
  hub = await startTestHub({ now: () => clock, cases: 0 });
  practice = await addPractice(hub);
  token = await practiceLogin(hub, practice);
  otherToken = await practiceLogin(hub, await addPractice(hub, 'Y01234', 'Hillside Surgery'));
});
afterAll(async () => hub.close());

function upload(path: string, bytes: Uint8Array, bearer: string | null, type = 'image/jpeg'): Promise<Response> {
  return fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
    method: 'POST',
    headers: { 'content-type': type, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: new Uint8Array(bytes),
  });
}
async function uploaded(res: Response) {
  expect(res.status).toBe(201);
  return photoUploadReceiptSchema.parse(await res.json());
}
const postJson = (url: string, path: string, bearer: string | null, body: unknown) =>
  fetch(`${url}${HUB_API_PREFIX}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
const citing = (seed: number, ...uploadIds: string[]) => ({
  ...sampleSubmission(seed, 0),
  images: uploadIds.map((uploadId) => ({ kind: 'dermoscopy', uploadId })),
});

describe('the practice door', () => {
  it('streams a photograph sent with the browser’s own type into the store and a referral cites it (no base64 anywhere)', async () => {
    const bytes = photo(0);
    const receipt = await uploaded(await upload('/uploads/photos', bytes, token, 'application/octet-stream'));
    expect(receipt).toMatchObject({ sha256: sha256(bytes), bytes: bytes.length, mediaType: 'image/jpeg' });
    expect(receipt.width).toBeGreaterThanOrEqual(600);
    expect(objectFiles(hub.dataDir)).toContain(`${receipt.sha256.slice(0, 2)}/${receipt.sha256}`);

    const res = await postJson(hub.url, '/intake/referrals', token, citing(301, receipt.uploadId));
    expect(res.status).toBe(201);
    const { caseId } = intakeReceiptSchema.parse(await res.json());
    const record = (await hub.hub.admin.caseState(caseId))?.record;
    expect(record?.images.map((i) => [i.sha256, i.bytes, i.mediaType])).toEqual([
      [receipt.sha256, bytes.length, 'image/jpeg'],
    ]);
  });

  it('refuses a cut-off and a damaged photograph with the real reason, and keeps neither', async () => {
    const before = objectFiles(hub.dataDir);
    const whole = photo(1);
    const cut = await upload('/uploads/photos', whole.subarray(0, Math.floor(whole.length / 2)), token);
    expect(cut.status).toBe(422);
    expect(hubErrorSchema.parse(await cut.json()).error).toMatchObject({
      code: 'validation',
      field: 'image',
      message: `This file cannot be used: ${TRUNCATED_MESSAGE}.`,
    });
    const damaged = Buffer.from(whole);
    const sos = damaged.indexOf(Buffer.from([0xff, 0xda]));
    for (let i = sos + 200; i < damaged.length - 2; i++) damaged[i] = ((damaged[i] ?? 0) * 31 + 7) & 0xff;
    const corrupt = await upload('/uploads/photos', damaged, token);
    expect(corrupt.status).toBe(422);
    expect(hubErrorSchema.parse(await corrupt.json()).error.message).toBe(
      `This file cannot be used: ${CORRUPT_MESSAGE}.`,
    );
    expect(objectFiles(hub.dataDir)).toEqual(before);
  });

  it('a referral citing an unknown upload, or another practice’s, is refused with a field error and no case', async () => {
    const theirs = await uploaded(await upload('/uploads/photos', photo(2), otherToken));
    const mine = await uploaded(await upload('/uploads/photos', photo(3), token));
    const res = await postJson(
      hub.url,
      '/intake/referrals',
      token,
      citing(302, mine.uploadId, theirs.uploadId, randomUUID()),
    );
    expect(res.status).toBe(422);
    const fields = intakeRejectionSchema.parse(await res.json()).error.fields;
    expect(fields).toEqual([
      { field: 'images.1.uploadId', message: `Photograph 2: ${UNKNOWN_UPLOAD_MESSAGE}` },
      { field: 'images.2.uploadId', message: `Photograph 3: ${UNKNOWN_UPLOAD_MESSAGE}` },
    ]);
    const notUuid = await postJson(hub.url, '/intake/referrals', token, citing(303, 'not-an-upload'));
    expect(intakeRejectionSchema.parse(await notUuid.json()).error.fields).toEqual([
      {
        field: 'images.0.uploadId',
        message: 'Photograph 1: The upload reference is not one the hub issued: upload the photograph again',
      },
    ]);
    const inbox = (await (
      await fetch(`${hub.url}${HUB_API_PREFIX}/practice/inbox`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { items: { patient: { nhsNumber: string } }[] };
    const refused = [302, 303].map((s) => sampleSubmission(s, 0).patient.nhsNumber);
    expect(inbox.items.filter((i) => refused.includes(i.patient.nhsNumber))).toEqual([]);
  });

  it('refuses an upload without a practice sign-in from its headers, before a byte of the body is sent', async () => {
    // Only the headers go (a 10 MB body is promised but never written): the answer comes anyway.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${hub.url}${HUB_API_PREFIX}/uploads/photos`, {
        method: 'POST',
        headers: { 'content-type': 'image/jpeg', 'content-length': String(10 * 1024 * 1024) },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(answer.status).toBe(401);
    expect(hubErrorSchema.parse(JSON.parse(answer.body)).error.code).toBe('unauthenticated');
    const consultant = await upload('/uploads/photos', photo(0), await hub.login());
    expect(consultant.status).toBe(403);
  });

  it('the answer to a request for more information cites uploads too', async () => {
    const referral = await postJson(hub.url, '/intake/referrals', token, sampleSubmission(304, 1));
    const { caseId } = intakeReceiptSchema.parse(await referral.json());
    await consultantDecides(
      hub,
      await hub.login(),
      caseId,
      {
        ...sampleDischarge(),
        outcome: { kind: 'more-information', requests: ['dermoscopy'], detail: 'Please add dermoscopy.' },
      },
      null,
      clock,
    );
    const theirs = await uploaded(await upload('/uploads/photos', photo(4), otherToken));
    const refused = await postJson(hub.url, `/practice/cases/${caseId}/information`, token, {
      note: 'Dermoscopy attached.',
      images: [{ kind: 'dermoscopy', uploadId: theirs.uploadId }],
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('"field":"images.0.uploadId"');
    const mine = await uploaded(await upload('/uploads/photos', photo(4), token));
    const answered = await postJson(hub.url, `/practice/cases/${caseId}/information`, token, {
      note: 'Dermoscopy attached.',
      images: [{ kind: 'dermoscopy', uploadId: mine.uploadId }],
    });
    expect(answered.status).toBe(200);
    const record = (await hub.hub.admin.caseState(caseId))?.record;
    expect(record?.images.map((i) => i.sha256)).toContain(mine.sha256);
  });
});

describe('the patient-link door', () => {
  async function newLink(seed: number) {
    const s = sampleSubmission(seed);
    const { consent: _c, symptoms: _s, ...referral } = s.referral;
    const res = await postJson(hub.url, '/practice/patient-links', token, {
      kind: 'new-referral',
      draft: { patient: s.patient, clinician: s.clinician, referral },
    });
    return { token: createLinkResponseSchema.parse(await res.json()).token, dob: s.patient.dateOfBirth };
  }

  it('a patient uploads through their link and submits by reference; another link’s upload is refused', async () => {
    const mine = await newLink(310);
    const other = await newLink(311);
    const theirs = await uploaded(await upload(`/patient-links/${other.token}/photos`, photo(5), null));
    const own = await uploaded(await upload(`/patient-links/${mine.token}/photos`, photo(6), null, 'image/jpeg'));
    const submit = (uploadId: string) =>
      postJson(hub.url, `/patient-links/${mine.token}/submit`, null, {
        consent: true,
        dateOfBirth: mine.dob,
        symptoms: 'Itchy.',
        images: [{ kind: 'close-up', uploadId }],
      });
    const refused = await submit(theirs.uploadId);
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain(UNKNOWN_UPLOAD_MESSAGE);
    // A practice cannot cite a patient's upload either.
    const byPractice = await postJson(hub.url, '/intake/referrals', token, citing(312, own.uploadId));
    expect(byPractice.status).toBe(422);
    const ok = await submit(own.uploadId);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ received: true, imageCount: 1 });
    // The link is spent: its photograph door closes with it, before any body is read.
    const after = await upload(`/patient-links/${mine.token}/photos`, photo(6), null);
    expect(after.status).toBe(410);
  });
});

describe('stale uploads', () => {
  it('an upload nobody cites is collected after a day with its bytes; cited ones and case images stay', async () => {
    const start = clock;
    const bytes = Buffer.from(photo(7));
    // A photograph only this upload has (a few metadata bytes changed: still the same picture).
    bytes.write('DermDeskStaleTest', bytes.indexOf(Buffer.from('JFIF')) + 10, 'latin1');
    const stale = await uploaded(await upload('/uploads/photos', bytes, token));
    const cited = await uploaded(await upload('/uploads/photos', photo(8), token));
    expect((await postJson(hub.url, '/intake/referrals', token, citing(320, cited.uploadId))).status).toBe(201);
    const file = (s: string) => `${s.slice(0, 2)}/${s}`;

    clock = new Date(start.getTime() + 23 * 3_600_000);
    expect(await hub.hub.collectStaleUploads()).toBe(0);
    clock = new Date(start.getTime() + 25 * 3_600_000);
    // A day on, the practice signs in afresh (sessions last 12 hours).
    token = await practiceLogin(hub, practice);
    expect(await hub.hub.collectStaleUploads()).toBeGreaterThanOrEqual(1);
    expect(objectFiles(hub.dataDir)).not.toContain(file(stale.sha256));
    expect(objectFiles(hub.dataDir)).toContain(file(cited.sha256));
    const late = await postJson(hub.url, '/intake/referrals', token, citing(321, stale.uploadId));
    expect(late.status).toBe(422);
  });

  it('an upload 23½ hours old is refused when cited (the collector may be taking it), with the unknown-upload field error', async () => {
    const start = clock;
    const young = await uploaded(await upload('/uploads/photos', photo(10), token));
    const old = await uploaded(await upload('/uploads/photos', photo(11), token));
    clock = new Date(start.getTime() + 22 * 3_600_000);
    token = await practiceLogin(hub, practice);
    // Uploaded 22 hours before: still citable.
    expect((await postJson(hub.url, '/intake/referrals', token, citing(322, young.uploadId))).status).toBe(201);
    clock = new Date(start.getTime() + 23.5 * 3_600_000);
    const res = await postJson(hub.url, '/intake/referrals', token, citing(323, old.uploadId));
    expect(res.status).toBe(422);
    expect(intakeRejectionSchema.parse(await res.json()).error.fields).toEqual([
      { field: 'images.0.uploadId', message: `Photograph 1: ${UNKNOWN_UPLOAD_MESSAGE}` },
    ]);
  });
});

/** The real filesystem store, running one sweep of the hub at the start of the next image check. */
class SweepAtNextCheck extends FsObjectStore {
  sweep: (() => Promise<number>) | undefined;
  swept: number | undefined;
  override async withLocalFile<T>(sha: string, use: (path: string) => Promise<T>): Promise<T> {
    const sweep = this.sweep;
    this.sweep = undefined;
    if (sweep) this.swept = await sweep();
    return super.withLocalFile(sha, use);
  }
}

describe('a photograph sent again a day later', () => {
  const dir = makeTempDir('dermdesk-objects-');
  const objects = new SweepAtNextCheck(dir.path);
  let own: TestHub;
  beforeAll(async () => {
    own = await startTestHub({ now: () => clock, cases: 0, objects });
  });
  afterAll(async () => {
    await own.close();
    dir.remove();
  });

  it('keeps the bytes a sweep finds while they are being received again, and the new upload is citable', async () => {
    const start = clock;
    const sender = await addPractice(own);
    const send = async (bearer: string) =>
      uploaded(
        await fetch(`${own.url}${HUB_API_PREFIX}/uploads/photos`, {
          method: 'POST',
          headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${bearer}` },
          body: new Uint8Array(photo(12)),
        }),
      );
    const first = await send(await practiceLogin(own, sender));
    clock = new Date(start.getTime() + 25 * 3_600_000);
    const bearer = await practiceLogin(own, sender);
    // The sweep runs after the same bytes were stored again but before their checks finish:
    // the first upload is stale and goes; the bytes are being received again, so they stay.
    objects.sweep = () => own.hub.collectStaleUploads();
    const again = await send(bearer);
    expect(objects.swept).toBe(0);
    expect(again.sha256).toBe(first.sha256);
    expect(again.uploadId).not.toBe(first.uploadId);
    expect(await objects.size(again.sha256)).toBe(photo(12).length);
    expect((await postJson(own.url, '/intake/referrals', bearer, citing(324, first.uploadId))).status).toBe(422);
    const res = await postJson(own.url, '/intake/referrals', bearer, citing(325, again.uploadId));
    expect(res.status).toBe(201);
    const { caseId } = intakeReceiptSchema.parse(await res.json());
    expect((await own.hub.admin.caseState(caseId))?.record.images.map((i) => i.sha256)).toEqual([first.sha256]);
  });
});

describe('on an S3 object store', () => {
  let s3: TestS3;
  let s3hub: TestHub;
  beforeAll(async () => {
    s3 = await startTestS3();
    s3hub = await startTestHub({
      now: () => clock,
      cases: 0,
      objects: new S3ObjectStore({ bucket: s3.bucket, client: s3.client, partBytes: 5 * 1024 * 1024 }),
    });
  });
  afterAll(async () => {
    await s3hub.close();
    await s3.close();
  });

  it('streams the photograph into the bucket, checks it there, and a referral cites it', async () => {
    const practiceToken = await practiceLogin(s3hub, await addPractice(s3hub));
    const bytes = photo(9);
    const res = await fetch(`${s3hub.url}${HUB_API_PREFIX}/uploads/photos`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${practiceToken}` },
      body: new Uint8Array(bytes),
    });
    const receipt = await uploaded(res);
    expect(receipt.sha256).toBe(sha256(bytes));
    const cut = await fetch(`${s3hub.url}${HUB_API_PREFIX}/uploads/photos`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg', authorization: `Bearer ${practiceToken}` },
      body: new Uint8Array(bytes.subarray(0, 4000)),
    });
    expect(hubErrorSchema.parse(await cut.json()).error.message).toBe(
      `This file cannot be used: ${TRUNCATED_MESSAGE}.`,
    );
    const referral = await postJson(s3hub.url, '/intake/referrals', practiceToken, citing(330, receipt.uploadId));
    expect(referral.status).toBe(201);
  });
});
