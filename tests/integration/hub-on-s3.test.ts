import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_API_PREFIX, claimResponseSchema } from '../../src/shared/hub-api/consultant-api';
import { intakeReceiptSchema } from '../../src/shared/hub-api/intake-api';
import { S3ObjectStore } from '../../src/hub/store/s3-object-store';
import { addPractice, fixtureBase64, practiceLogin, sampleSubmission } from '../support/doors-fixture';
import { startTestHub, type TestHub } from '../support/hub-fixture';
import { spawnHubProcess, type HubProcess } from '../support/hub-process';
import { startTestS3, type TestS3 } from '../support/s3-server';
import { createTestDatabase } from '../support/test-postgres';

/**
 * A region's hub: two hub OS processes (the real CLI with --database-url and --object-store) on
 * one PostgreSQL database and one S3-compatible bucket. A photograph sent to one process is
 * served, by range, by the other: neither keeps photographs on its own disk.
 */
let s3: TestS3;
let admin: TestHub;
let hubs: HubProcess[] = [];

beforeAll(async () => {
  s3 = await startTestS3('region-images');
  const databaseUrl = await createTestDatabase();
  const objects = new S3ObjectStore({ bucket: s3.bucket, prefix: 'images/', client: s3.client });
  admin = await startTestHub({ databaseUrl, objects });
  const env = {
    DERMDESK_S3_ENDPOINT: s3.endpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'eu-west-2',
  };
  const args = ['--database-url', databaseUrl, '--object-store', `s3://${s3.bucket}/images`];
  // Each process gets a data dir of its own: nothing may be shared through the local disk.
  hubs = await Promise.all([
    spawnHubProcess(`${admin.dataDir}-a`, args, env),
    spawnHubProcess(`${admin.dataDir}-b`, args, env),
  ]);
}, 300_000);

afterAll(async () => {
  for (const h of hubs) await h.stop();
  await admin?.close();
  await s3?.close();
});

describe('two hub processes on one PostgreSQL database and one S3 bucket', () => {
  it('a photograph sent to one process is served whole and by range by the other', async () => {
    const hubA = hubs[0]!.url;
    const hubB = hubs[1]!.url;
    expect(hubs[0]!.output()).toMatch(/photographs: S3 bucket/);
    const practiceToken = await practiceLogin(admin, await addPractice(admin, 'Y04567', 'Riverside Practice'));
    const sent = await fetch(`${hubA}${HUB_API_PREFIX}/intake/referrals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${practiceToken}` },
      body: JSON.stringify(sampleSubmission(3)),
    });
    expect(sent.status).toBe(201);
    const receipt = intakeReceiptSchema.parse(await sent.json());

    const consultant = await admin.addConsultant();
    const login = await fetch(`${hubB}${HUB_API_PREFIX}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: consultant.username, password: consultant.password }),
    });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const claim = await fetch(`${hubB}${HUB_API_PREFIX}/batches/claim`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ count: 5 }),
    });
    expect(claimResponseSchema.parse(await claim.json()).cases.map((c) => c.id)).toContain(receipt.caseId);
    const kase = (await (
      await fetch(`${hubB}${HUB_API_PREFIX}/cases/${receipt.caseId}`, { headers: auth })
    ).json()) as {
      images: { sha256: string; bytes: number }[];
    };
    const original = Buffer.from(fixtureBase64(3), 'base64'); // sampleSubmission(3)'s first image
    const sha256 = createHash('sha256').update(original).digest('hex');
    expect(kase.images.map((i) => i.sha256)).toContain(sha256);

    const whole = await fetch(`${hubB}${HUB_API_PREFIX}/images/${sha256}`, { headers: auth });
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(original)).toBe(true);
    const part = await fetch(`${hubB}${HUB_API_PREFIX}/images/${sha256}`, {
      headers: { ...auth, range: 'bytes=1000-1999' },
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(original.subarray(1000, 2000))).toBe(true);
  });

  it('both processes are ready while the bucket answers, and say the object store is not when it stops', async () => {
    for (const h of hubs) expect((await fetch(`${h.url}/readyz`)).status).toBe(200);
    await s3.close();
    const res = await fetch(`${hubs[0]!.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'not-ready', database: 'ok', objects: 'unavailable' });
  });
});
