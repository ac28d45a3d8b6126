import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_API_PREFIX, hubErrorSchema } from '../../src/shared/hub-api/consultant-api';
import { FHIR_CONTENT_TYPE } from '../../src/shared/hub-api/fhir-bundle';
import { JSON_PHOTO_DOOR_LIMIT, STREAMED_PHOTO_LIMIT } from '../../src/hub/http/route-policies';
import { objectFiles } from '../support/object-files';
import { bigUpload } from '../support/big-upload';
import { addPractice, practiceLogin } from '../support/doors-fixture';
import { hubFetch, startTestHub, type TestHub } from '../support/hub-fixture';

/**
 * Oversized and hostile bodies against the real hub on loopback. The hub checks who is calling
 * (bearer token, or the patient link in the path) in an onRequest hook, before it reads any of
 * the body, and sizes each route's limit to what it needs (src/hub/http/route-policies.ts). So:
 * each case says what it sends and what must happen, and where size is the attack, how much of
 * the body the client had managed to send when the answer came (a hub that read the body first
 * answers only after all 250 MB) and that the hub's memory stayed flat.
 */

const MB = 1024 * 1024;
const HUGE = 250 * MB;
/** Socket buffers let a client write a few MB before it reads the answer; 250 MB must never go. */
const SENT_BOUND = 32 * MB;
/** The hub runs in this test process; the bound is far below the 450+ MB a buffered 250 MB body cost. */
const RSS_BOUND = 100 * MB;

let hub: TestHub;
let practiceToken: string;
let consultantToken: string;

beforeAll(async () => {
  hub = await startTestHub();
  practiceToken = await practiceLogin(hub, await addPractice(hub));
  consultantToken = await hub.login();
});
afterAll(async () => hub.close());

/** The hub's stored photographs and half-written uploads (none: nothing of a refused upload kept). */
const storedFiles = () => objectFiles(hub.dataDir);

async function peakRssGrowth<T>(run: () => Promise<T>): Promise<{ value: T; grown: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    const value = await run();
    return { value, grown: Math.max(peak, process.memoryUsage.rss()) - before };
  } finally {
    clearInterval(sampler);
  }
}

const unauthenticatedDoors: Array<{ what: string; path: string; type: string; status: number; code: string }> = [
  {
    what: 'JSON intake',
    path: `${HUB_API_PREFIX}/intake/referrals`,
    type: 'application/json',
    status: 401,
    code: 'unauthenticated',
  },
  {
    what: 'FHIR intake',
    path: `${HUB_API_PREFIX}/intake/fhir`,
    type: FHIR_CONTENT_TYPE,
    status: 401,
    code: 'unauthenticated',
  },
  {
    what: "a practice's answer to a request for information",
    path: `${HUB_API_PREFIX}/practice/cases/${randomUUID()}/information`,
    type: 'application/json',
    status: 401,
    code: 'unauthenticated',
  },
  {
    what: 'multipart intake',
    path: `${HUB_API_PREFIX}/intake/referrals`,
    type: 'multipart/form-data; boundary=x',
    status: 401,
    code: 'unauthenticated',
  },
  {
    what: 'the streamed photograph door',
    path: `${HUB_API_PREFIX}/uploads/photos`,
    type: 'image/jpeg',
    status: 401,
    code: 'unauthenticated',
  },
  {
    what: 'the patient-link photograph door with a made-up token',
    path: `${HUB_API_PREFIX}/patient-links/${'A'.repeat(43)}/photos`,
    type: 'image/jpeg',
    status: 404,
    code: 'link-unknown',
  },
  {
    what: 'a patient-link submit with a made-up token',
    path: `${HUB_API_PREFIX}/patient-links/${'A'.repeat(43)}/submit`,
    type: 'application/json',
    status: 404,
    code: 'link-unknown',
  },
];

describe('unauthenticated bodies are refused from the headers', () => {
  for (const door of unauthenticatedDoors) {
    it(`sends: 250 MB to ${door.what} with no credentials; must: ${door.status} ${door.code} before the body is read, connection closed, memory flat`, async () => {
      const { value: res, grown } = await peakRssGrowth(() =>
        bigUpload(`${hub.url}${door.path}`, HUGE, { 'content-type': door.type }),
      );
      expect(res.status).toBe(door.status);
      expect(hubErrorSchema.parse(JSON.parse(res.body)).error.code).toBe(door.code);
      expect(res.sentWhenAnswered).toBeLessThan(SENT_BOUND);
      expect(res.headers['connection']).toBe('close');
      expect(grown).toBeLessThan(RSS_BOUND);
    });
  }

  it('sends: three 250 MB unauthenticated bodies at once; must: three 401s, memory flat, the hub still answers', async () => {
    const { value, grown } = await peakRssGrowth(() =>
      Promise.all(
        [0, 1, 2].map(() =>
          bigUpload(`${hub.url}${HUB_API_PREFIX}/intake/referrals`, HUGE, { 'content-type': 'application/json' }),
        ),
      ),
    );
    expect(value.map((r) => r.status)).toEqual([401, 401, 401]);
    for (const r of value) expect(r.sentWhenAnswered).toBeLessThan(SENT_BOUND);
    expect(grown).toBeLessThan(RSS_BOUND);
    expect((await fetch(`${hub.url}/openapi.json`)).status).toBe(200);
  });

  it('sends: 250 MB with a consultant token to the practice intake; must: 403 before the body is read', async () => {
    const res = await bigUpload(`${hub.url}${HUB_API_PREFIX}/intake/referrals`, HUGE, {
      'content-type': 'application/json',
      authorization: `Bearer ${consultantToken}`,
    });
    expect(res.status).toBe(403);
    expect(res.sentWhenAnswered).toBeLessThan(SENT_BOUND);
  });
});

describe('signed-in callers get limits sized to the route', () => {
  it(`sends: a 250 MB JSON referral from a signed-in practice; must: 413 naming the ${JSON_PHOTO_DOOR_LIMIT}-byte limit, before the body is read`, async () => {
    const res = await bigUpload(`${hub.url}${HUB_API_PREFIX}/intake/referrals`, HUGE, {
      'content-type': 'application/json',
      authorization: `Bearer ${practiceToken}`,
    });
    expect(res.status).toBe(413);
    const error = hubErrorSchema.parse(JSON.parse(res.body)).error;
    expect(error.code).toBe('payload-too-large');
    expect(error.message).toContain(String(JSON_PHOTO_DOOR_LIMIT));
    expect(res.sentWhenAnswered).toBeLessThan(SENT_BOUND);
  });

  it(`sends: a 250 MB "photograph" declared in Content-Length from a signed-in practice to the streamed door; must: 413 photo-too-large from the headers, nothing stored`, async () => {
    const before = storedFiles();
    const res = await bigUpload(`${hub.url}${HUB_API_PREFIX}/uploads/photos`, HUGE, {
      'content-type': 'image/jpeg',
      authorization: `Bearer ${practiceToken}`,
    });
    expect(res.status).toBe(413);
    const error = hubErrorSchema.parse(JSON.parse(res.body)).error;
    expect(error).toMatchObject({ code: 'photo-too-large', field: 'image' });
    expect(error.message).toContain(`${STREAMED_PHOTO_LIMIT / MB} MB`);
    expect(res.sentWhenAnswered).toBeLessThan(SENT_BOUND);
    expect(storedFiles()).toEqual(before);
  });

  it('sends: 250 MB chunked (no Content-Length) to the streamed door from a signed-in practice; must: 413 photo-too-large once the limit has streamed past, memory flat, nothing left in the store', async () => {
    const before = storedFiles();
    const { value: res, grown } = await peakRssGrowth(() =>
      bigUpload(
        `${hub.url}${HUB_API_PREFIX}/uploads/photos`,
        HUGE,
        { 'content-type': 'image/jpeg', authorization: `Bearer ${practiceToken}` },
        { chunked: true },
      ),
    );
    expect(res.status).toBe(413);
    expect(hubErrorSchema.parse(JSON.parse(res.body)).error.code).toBe('photo-too-large');
    expect(res.sentWhenAnswered).toBeGreaterThan(STREAMED_PHOTO_LIMIT);
    expect(res.sentWhenAnswered).toBeLessThan(STREAMED_PHOTO_LIMIT + SENT_BOUND);
    expect(res.headers['connection']).toBe('close');
    expect(grown).toBeLessThan(RSS_BOUND);
    expect(storedFiles()).toEqual(before);
  });

  it('sends: a 2 MB claim request from a consultant (the route takes 1 KiB); must: 413', async () => {
    const res = await bigUpload(`${hub.url}${HUB_API_PREFIX}/batches/claim`, 2 * MB, {
      'content-type': 'application/json',
      authorization: `Bearer ${consultantToken}`,
    });
    expect(res.status).toBe(413);
    expect(hubErrorSchema.parse(JSON.parse(res.body)).error.message).toContain('1024 bytes');
  });
});

describe('JSON nesting is limited on every JSON body', () => {
  const deep = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it('sends: an audit row whose detail nests 30,000 levels deep; must: 400 json-too-deep (was a 500 stack overflow), nothing stored', async () => {
    const detail = `{"x":${deep(30_000)}}`;
    const body = `{"events":[{"seq":1,"at":"2026-11-24T10:00:00.000Z","actor":"me","caseId":null,"action":"case.viewed","detail":${detail},"prevHash":"${'0'.repeat(64)}","hash":"${'1'.repeat(64)}"}]}`;
    const res = await hubFetch(hub.url, consultantToken, '/audit', { body });
    expect(res.status).toBe(400);
    expect(hubErrorSchema.parse(await res.json()).error.code).toBe('json-too-deep');
    expect(await hub.hub.admin.auditConflicts()).toEqual([]);
  });

  it('sends: 30,000-deep JSON to the practice intake and as FHIR; must: 400 json-too-deep each', async () => {
    const json = await hubFetch(hub.url, practiceToken, '/intake/referrals', { body: deep(30_000) });
    expect(json.status).toBe(400);
    expect(hubErrorSchema.parse(await json.json()).error.code).toBe('json-too-deep');
    const fhir = await hubFetch(hub.url, practiceToken, '/intake/fhir', {
      body: deep(30_000),
      headers: { 'content-type': FHIR_CONTENT_TYPE },
    });
    expect(fhir.status).toBe(400);
    expect(hubErrorSchema.parse(await fhir.json()).error.code).toBe('json-too-deep');
  });

  it('sends: 64 levels (the limit) inside a string and brackets in strings; must: not counted as nesting', async () => {
    // A note full of brackets is text, not nesting: the depth check skips strings.
    const res = await hubFetch(hub.url, consultantToken, '/batches/claim', {
      body: `{"count":1,"note":"${'['.repeat(500)}"}`,
    });
    expect(res.status).toBe(200);
  });
});
