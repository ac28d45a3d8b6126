import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JSON_PHOTO_DOOR_LIMIT, policyFor } from '../../src/hub/http/route-policies';
import type { RunningHub } from '../../src/hub/start-hub';
import type { Core } from '../../src/main/core/create-core';
import { imageDir, resolveImageFile } from '../../src/main/core/images/image-paths';
import { placeOriginal } from '../../src/main/core/images/place-original';
import { resolveBundlePath } from '../../src/main/protocol/bundle-path';
import { dispatch } from '../../src/shared/contract/dispatch';
import { HUB_API_PREFIX } from '../../src/shared/hub-api/consultant-api';
import { FHIR_CONTENT_TYPE } from '../../src/shared/hub-api/fhir-bundle';
import { createLinkResponseSchema } from '../../src/shared/hub-api/patient-link-api';
import { startHostServer, type HostServer } from '../host/host-server';
import { openCore, seedConsultant, signIn, startTestHub as startSyncHub } from '../integration/sync-support';
import { testImageKey } from '../support/cache-key';
import { addPractice, practiceLogin, sampleBundle, sampleSubmission } from '../support/doors-fixture';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { startTestHub, testCaseInput, type TestHub } from '../support/hub-fixture';
import { makeTempDir } from '../support/temp-dir';
import { makeTestCore } from '../support/test-core';
import { goodImage, hubResponseCorpus, imageCorpus, jsonCorpus, nameCorpus, type ImageEntry } from './corpus';

/**
 * Hostile input, read top to bottom: every entry of the corpus (./corpus.ts) through every real
 * entry point it can reach, over real HTTP on loopback where there is HTTP. For each: the
 * specific error (code and a message a person can act on), the process still serving, memory
 * bounded where size is the attack, and nothing else lost (good input next to the bad still goes
 * through; what was cached before is intact; nothing from a hostile response is cached).
 *
 * Where an existing test already covers a door in depth, this suite does not copy it:
 *
 * | corpus entry                          | entry point                               | also tested in                                   |
 * | ------------------------------------- | ----------------------------------------- | ------------------------------------------------ |
 * | truncated / scrambled PNG, bomb, SVG  | deriveImage (file-level details)          | src/main/core/images/derive-image.test.ts        |
 * | every image entry                     | hub image checks (blur, exposure, size)   | src/hub/intake/image-checks.test.ts              |
 * | 16 MB image                           | intake size limit                         | tests/hub-doors/intake.test.ts                   |
 * | names in the image URL                | resolveImageFile                          | tests/security/image-url-hostile.test.ts         |
 * | encoded / drive / NUL bundle paths    | resolveBundlePath                         | src/main/protocol/bundle-path.test.ts            |
 * | __proto__ / constructor method names  | dispatch                                  | src/shared/contract/dispatch.test.ts             |
 * | malformed JSON, 6 MB body, traversal  | test host /rpc, /img, static              | tests/host/host-server.test.ts                   |
 * | hub responses on an empty cache       | sync client                               | tests/integration/sync-malformed.test.ts         |
 * | resets, short bodies, hangs           | sync client                               | tests/integration/sync-faults.test.ts            |
 */

/**
 * Memory bounds are generous on purpose: the test process also runs the hub and the workstation,
 * and RSS moves with GC and libvips' caches. The bound is set far below what the attack would
 * cost if it worked: the hub's full decode of the 200 MP bomb would take 600 MB (measured), so a
 * regression there fails it. libvips streams the workstation's resize pipeline (about 60 MB for
 * the same bomb, measured), so there the `too-large` refusal itself is the sharper check.
 */
const BOMB_RSS_BOUND = 250 * 1024 * 1024;

/**
 * The peak RSS growth while `run` works, sampled every 5 ms. The decoding and parsing happen on
 * libvips' and libuv's threads, so the main thread is free to sample; a 600 MB decode lasts far
 * longer than one interval. (The RSS after the run would miss a peak that was freed again.)
 */
async function rssGrowth<T>(run: () => Promise<T>): Promise<{ value: T; grown: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const value = await run();
    return { value, grown: Math.max(peak, process.memoryUsage.rss()) - before };
  } finally {
    clearInterval(sampler);
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Every file under a folder (recursively), relative paths; empty when it does not exist. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length))
    .sort();
}

describe('hub intake over real HTTP: JSON referral, patient link, upload check', () => {
  let hub: TestHub;
  let token: string;
  let linkToken: string;
  let linkDob: string;

  beforeAll(async () => {
    // Generous patient-link limits: this suite sends every name in the corpus as a token, and the
    // guessing limit (10 unknown tokens per 15 minutes) is tested in tests/hub-doors.
    hub = await startTestHub({ doors: { patientLinkLimits: { requests: 500, failures: 500, windowMs: 60_000 } } });
    const practice = await addPractice(hub);
    token = await practiceLogin(hub, practice);
    const s = sampleSubmission(91);
    const { consent: _c, symptoms: _s, ...referral } = s.referral;
    const res = await api('/practice/patient-links', {
      kind: 'new-referral',
      draft: { patient: s.patient, clinician: s.clinician, referral },
    });
    linkToken = createLinkResponseSchema.parse(await res.json()).token;
    linkDob = s.patient.dateOfBirth;
  });
  afterAll(async () => hub.close());

  function api(path: string, body: unknown, type = 'application/json'): Promise<Response> {
    return fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
      method: 'POST',
      headers: { 'content-type': type, authorization: `Bearer ${token}` },
      body: typeof body === 'string' ? body : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
    });
  }
  const stored = (): string[] => filesUnder(join(hub.dataDir, 'objects')).filter((f) => !f.includes('tmp'));
  const good = async () => ({
    kind: 'overview',
    mediaType: 'image/jpeg',
    data: (await goodImage()).toString('base64'),
  });
  const hostile = async (e: ImageEntry) => ({
    kind: 'close-up',
    mediaType: e.claimed,
    data: (await e.bytes()).toString('base64'),
  });

  /** The field errors of a 422, by field. */
  async function fieldErrors(res: Response): Promise<Record<string, string>> {
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; fields: { field: string; message: string }[] } };
    expect(body.error.code).toBe('validation');
    return Object.fromEntries(body.error.fields.map((f) => [f.field, f.message]));
  }

  it.each(imageCorpus)(
    '$name: a referral with it is refused naming that image; the good image beside it is not blamed; nothing stored',
    async (entry) => {
      const before = stored();
      const { value: res, grown } = await rssGrowth(async () =>
        api('/intake/referrals', { ...sampleSubmission(92), images: [await good(), await hostile(entry)] }),
      );
      const errors = await fieldErrors(res);
      expect(Object.keys(errors)).toEqual([`images.1.${entry.field}`]);
      expect(errors[`images.1.${entry.field}`]).toMatch(entry.intake);
      expect(stored()).toEqual(before);
      if (entry.sizeAttack) expect(grown).toBeLessThan(BOMB_RSS_BOUND);
    },
  );

  it.each(imageCorpus)('$name: a FHIR Bundle with it gets an OperationOutcome naming its element', async (entry) => {
    const bundle = sampleBundle(94) as { entry: { resource: { content: { attachment: object }[] } }[] };
    // entry[4] is the DocumentReference carrying the first photograph.
    bundle.entry[4]!.resource.content[0]!.attachment = {
      contentType: entry.claimed,
      data: (await entry.bytes()).toString('base64'),
    };
    const res = await api('/intake/fhir', JSON.stringify(bundle), FHIR_CONTENT_TYPE);
    expect(res.status).toBe(422);
    const outcome = (await res.json()) as {
      resourceType: string;
      issue: { expression: string[]; diagnostics: string }[];
    };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue).toHaveLength(1);
    expect(outcome.issue[0]!.expression[0]).toMatch(/^Bundle\.entry\[4\]\.resource\.content\[0\]\.attachment/);
    expect(outcome.issue[0]!.diagnostics).toMatch(entry.intake);
  });

  it.each(imageCorpus)('$name: the patient link refuses it and stays usable', async (entry) => {
    const res = await api(`/patient-links/${linkToken}/submit`, {
      consent: true,
      dateOfBirth: linkDob,
      symptoms: '',
      images: [await good(), await hostile(entry)],
    });
    const errors = await fieldErrors(res);
    expect(Object.keys(errors)).toEqual([`images.1.${entry.field}`]);
    expect(errors[`images.1.${entry.field}`]).toMatch(entry.intake);
  });

  it.each(imageCorpus)(
    "$name: the upload-time checks (GP form and patient link) take it with the browser's own type ($browserType) and name the real reason",
    async (entry) => {
      for (const path of ['/intake/image-check', `/patient-links/${linkToken}/image-check`]) {
        const res = await api(path, await entry.bytes(), entry.browserType);
        if (entry.field === 'mediaType') {
          // The check reads the real format from the bytes; the claimed type changes nothing.
          expect(res.status, path).toBe(200);
          expect(await res.json()).toMatchObject({ mediaType: 'image/webp' });
          continue;
        }
        // Never 415 "send JSON": the type the browser labels a file with is not a reason to refuse it.
        expect(res.status, path).toBe(422);
        const body = (await res.json()) as { error: { code: string; message: string; field: string } };
        expect(body.error).toMatchObject({ code: 'validation', field: 'image' });
        expect(body.error.message).toMatch(/^This file cannot be used: /);
        expect(body.error.message).toMatch(entry.intake);
      }
    },
  );

  it.each(imageCorpus)(
    "$name: the streamed photograph doors (practice and patient link) take it with the browser's own type ($browserType), refuse it naming the real reason and keep none of it",
    async (entry) => {
      for (const path of ['/uploads/photos', `/patient-links/${linkToken}/photos`]) {
        const before = filesUnder(join(hub.dataDir, 'objects'));
        const bytes = await entry.bytes();
        const { value: res, grown } = await rssGrowth(() => api(path, bytes, entry.browserType));
        if (entry.field === 'mediaType') {
          // The bytes decide: a WebP labelled JPEG is stored and answered as the WebP it is.
          expect(res.status, path).toBe(201);
          expect(await res.json()).toMatchObject({ mediaType: 'image/webp' });
          continue;
        }
        expect(res.status, path).toBe(422);
        const body = (await res.json()) as { error: { code: string; message: string; field: string } };
        expect(body.error).toMatchObject({ code: 'validation', field: 'image' });
        expect(body.error.message).toMatch(entry.intake);
        expect(filesUnder(join(hub.dataDir, 'objects')), path).toEqual(before);
        if (entry.sizeAttack) expect(grown).toBeLessThan(BOMB_RSS_BOUND);
      }
    },
  );

  it("a real photograph sent to the upload checks with the browser's own type (JPEG, PNG, WebP, octet-stream or none) is checked, not refused", async () => {
    const cases = [
      ['image/jpeg', 'jpeg'],
      ['image/png', 'png'],
      ['image/webp', 'webp'],
      ['application/octet-stream', 'jpeg'],
      // A File whose type the browser does not know is sent with no Content-Type at all.
      ['', 'jpeg'],
    ] as const;
    for (const [type, format] of cases) {
      const source = sharp(await goodImage());
      const bytes =
        format === 'png'
          ? await source.png().toBuffer()
          : format === 'webp'
            ? await source.webp().toBuffer()
            : await goodImage();
      for (const path of ['/intake/image-check', `/patient-links/${linkToken}/image-check`]) {
        const res = await fetch(`${hub.url}${HUB_API_PREFIX}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, ...(type ? { 'content-type': type } : {}) },
          body: new Uint8Array(bytes),
        });
        expect(res.status, `${path} ${type}`).toBe(200);
        expect(await res.json()).toMatchObject({ ok: true, mediaType: `image/${format}` });
      }
    }
  });

  it('after all of that: the link still takes a good submission, and the intake a good referral', async () => {
    const link = await api(`/patient-links/${linkToken}/submit`, {
      consent: true,
      dateOfBirth: linkDob,
      symptoms: 'It itches.',
      images: [await good()],
    });
    expect(link.status).toBe(200);
    expect((await api('/intake/referrals', sampleSubmission(93))).status).toBe(201);
  });

  it.each(jsonCorpus)('$name: refused by the sign-in route (8 KiB limit) and by the intake', async (entry) => {
    const text = entry.text();
    const login = await fetch(`${hub.url}${HUB_API_PREFIX}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: text,
    });
    const loginBody = (await login.json()) as { error: { code: string; message: string } };
    const intake = await api('/intake/referrals', text);
    const intakeBody = (await intake.json()) as { error: { code: string; message: string } };
    const loginLimit = policyFor('POST', `${HUB_API_PREFIX}/auth/login`)!.bodyLimit;
    if (text.length > loginLimit) {
      expect([login.status, loginBody.error.code]).toEqual([413, 'payload-too-large']);
      expect(loginBody.error.message).toContain(`(${loginLimit} bytes)`);
    } else {
      expect([login.status, loginBody.error.code]).toEqual([400, 'malformed-json']);
    }
    if (entry.name === 'json-proto-pollution') {
      // Fastify's parser refuses __proto__ and constructor.prototype keys outright.
      expect([intake.status, intakeBody.error.code]).toEqual([400, 'malformed-json']);
    } else if (entry.name === 'json-nested-100k') {
      // Every JSON body's nesting is checked before it is parsed (http/json-body.ts).
      expect([intake.status, intakeBody.error.code]).toEqual([400, 'json-too-deep']);
    } else if (text.length > JSON_PHOTO_DOOR_LIMIT) {
      // Past the JSON door's small limit (route-policies.ts: photographs go to the streamed door).
      expect([intake.status, intakeBody.error.code]).toEqual([413, 'payload-too-large']);
      expect(intakeBody.error.message).toContain(`(${JSON_PHOTO_DOOR_LIMIT} bytes)`);
    } else {
      // Within the JSON door's limit, the referral schema refuses it, naming the missing dataset
      // rather than choking on the size.
      expect([intake.status, intakeBody.error.code]).toEqual([422, 'validation']);
      expect(intakeBody.error.message).toMatch(/^The referral was not accepted: \d+ fields to fix\.$/);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each(nameCorpus)("$name as an image id or patient-link token: 404 with the route's own code", async (entry) => {
    const consultant = await hub.login();
    const image = await fetch(`${hub.url}${HUB_API_PREFIX}/images/${encodeURIComponent(entry.value)}`, {
      headers: { authorization: `Bearer ${consultant}` },
    });
    const link = await fetch(`${hub.url}${HUB_API_PREFIX}/patient-links/${encodeURIComponent(entry.value)}`);
    if (entry.value.length > 100) {
      // Fastify refuses route parameters over 100 characters before any handler runs.
      expect([image.status, link.status]).toEqual([414, 414]);
      return;
    }
    expect([image.status, link.status]).toEqual([404, 404]);
    expect(await image.json()).toMatchObject({ error: { code: 'image-not-found' } });
    expect(await link.json()).toMatchObject({ error: { code: 'link-unknown' } });
  });
});

describe('workstation: image derivation queue and the cached-image reader', () => {
  const core = makeTestCore();
  let earlier: string;
  afterAll(() => core.cleanup());

  beforeAll(async () => {
    // An earlier case's image, derived before any hostile file arrives.
    earlier = placeOriginal(core.dataDir, testImageKey, await goodImage());
    core.derivatives.enqueue(earlier);
    await core.derivatives.idle();
    expect(core.derivatives.status(earlier).state).toBe('ready');
  });

  /** A good photograph distinct per test (so it is derived afresh), as in the same case. */
  const goodSibling = async (width: number): Promise<Buffer> =>
    sharp(await goodImage())
      .resize(width)
      .jpeg()
      .toBuffer();

  it.each(imageCorpus.map((e, i) => ({ ...e, i })))(
    '$name: refused for that image alone with a message to act on; its sibling derives; the earlier cache is intact',
    async (entry) => {
      const sibling = placeOriginal(core.dataDir, testImageKey, await goodSibling(500 + entry.i));
      const { value: bad, grown } = await rssGrowth(async () => {
        const sha = placeOriginal(core.dataDir, testImageKey, await entry.bytes());
        core.derivatives.enqueue(sha);
        core.derivatives.enqueue(sibling);
        await core.derivatives.idle();
        return sha;
      });
      const status = core.derivatives.status(bad);
      if ('derivesAs' in entry.derive) {
        expect(status).toMatchObject({ state: 'ready', meta: { format: entry.derive.derivesAs } });
      } else {
        expect(status).toMatchObject({ state: 'failed', message: expect.stringMatching(entry.derive.message) });
        // error.json (sizes and codes only, no patient data) keeps the code for the next start.
        const recorded = JSON.parse(readFileSync(join(imageDir(core.dataDir, bad), 'error.json'), 'utf8')) as object;
        expect(recorded).toMatchObject({ code: entry.derive.code });
        // Nothing half-built is served for it.
        expect(await core.readImage(bad, 'preview')).toMatchObject({ ok: false, status: 404 });
      }
      if (entry.sizeAttack) expect(grown).toBeLessThan(BOMB_RSS_BOUND);
      expect(core.derivatives.status(sibling).state).toBe('ready');
      const earlierPreview = await core.readImage(earlier, 'preview');
      expect(earlierPreview.ok && (await sharp(earlierPreview.bytes).metadata()).format).toBe('jpeg');
      const original = await core.readImage(earlier, 'original');
      expect(original.ok && sha256(original.bytes)).toBe(earlier);
    },
  );
});

describe('resolvers: image URLs (core.readImage), the app bundle, the test host over HTTP', () => {
  const core = makeTestCore();
  const renderer = makeTempDir('dermdesk-bundle-');
  let host: HostServer;
  let cached: string;

  beforeAll(async () => {
    cached = placeOriginal(core.dataDir, testImageKey, await goodImage());
    writeFileSync(join(renderer.path, 'index.html'), '<!doctype html><title>DermDesk</title>');
    host = await startHostServer({ core, rendererDir: renderer.path });
  });
  afterAll(async () => {
    await host.close();
    core.cleanup();
    renderer.remove();
  });

  it.each(nameCorpus)('$name: refused as an image id and as a variant, before any path is built', async (entry) => {
    expect(resolveImageFile(core.dataDir, entry.value, 'original')).toEqual({
      ok: false,
      status: 400,
      message: 'Image id must be a SHA-256',
    });
    expect(await core.readImage(cached, entry.value)).toEqual({
      ok: false,
      status: 400,
      message: 'Unknown image variant',
    });
    // Over HTTP, encoded the way a browser would send it.
    const res = await fetch(`${host.url}/img/${cached}/${encodeURIComponent(entry.value)}?token=${host.token}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: { message: 'Unknown image variant' } });
    // The good image is still served.
    expect((await core.readImage(cached, 'original')).ok).toBe(true);
  });

  it.each(nameCorpus)('$name: the bundle resolver maps it to nothing (raw and percent-encoded)', async (entry) => {
    expect(resolveBundlePath(renderer.path, `/${entry.value}`)).toBeNull();
    expect(resolveBundlePath(renderer.path, `/${encodeURIComponent(entry.value)}`)).toBeNull();
    const res = await fetch(`${host.url}/${encodeURIComponent(entry.value)}`);
    expect(res.status).toBe(404);
    expect((await fetch(`${host.url}/`)).status).toBe(200);
  });
});

describe('the contract boundary: dispatch, and the test host /rpc over HTTP', () => {
  const core = makeTestCore();
  let host: HostServer;
  const renderer = makeTempDir('dermdesk-bundle-');
  beforeAll(async () => {
    host = await startHostServer({ core, rendererDir: renderer.path });
  });
  afterAll(async () => {
    await host.close();
    core.cleanup();
    renderer.remove();
  });

  /** The message each entry gets from app.echo's schema ({ text: 1-1000 characters }, strict). */
  const refusal: Record<string, RegExp> = {
    'json-20mb': /^text: .*<=1000 characters/,
    'json-nested-100k': /^text: .*expected string, received object/,
    'json-proto-pollution': /^input: Unrecognized keys?: .*"__proto__"/,
  };

  it.each(jsonCorpus)(
    '$name: dispatch answers a validation error naming the field; nothing polluted',
    async (entry) => {
      const result = await dispatch(core.handlers, 'app.echo', JSON.parse(entry.text()));
      expect(result).toMatchObject({ ok: false, error: { code: 'validation' } });
      expect(!result.ok && result.error.message).toMatch(refusal[entry.name]!);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(await dispatch(core.handlers, 'app.echo', { text: 'still here' })).toMatchObject({ ok: true });
    },
  );

  it.each(jsonCorpus)(
    '$name: the test host refuses it with a status and message; the next call works',
    async (entry) => {
      const text = entry.text();
      const res = await fetch(`${host.url}/rpc/app.echo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
        body: text,
      });
      const body = (await res.json()) as { ok: false; error: { code: string; message: string } };
      if (text.length > 5 * 1024 * 1024) {
        // The host stops reading at 5 MB (it never buffers more) and closes the connection.
        expect([res.status, body.error.code]).toEqual([400, 'validation']);
        expect(body.error.message).toBe('Request body is larger than 5 MB');
      } else {
        expect([res.status, body.error.code]).toEqual([400, 'validation']);
        expect(body.error.message).toMatch(refusal[entry.name]!);
      }
      const next = await fetch(`${host.url}/rpc/app.echo`, {
        method: 'POST',
        headers: { authorization: `Bearer ${host.token}` },
        body: JSON.stringify({ text: 'still here' }),
      });
      expect(next.status).toBe(200);
    },
  );
});

describe('workstation sync against a hostile hub (the fault proxy in front of a real hub)', () => {
  const hubDir = makeTempDir('dermdesk-hub-');
  const deskDir = makeTempDir('dermdesk-desk-');
  let hub: RunningHub;
  let proxy: FaultProxy;
  let core: Core;
  /** Another host on loopback, where a redirect points: it records what it was sent. */
  const otherHostSaw: IncomingHttpHeaders[] = [];
  const otherHost = createServer((req, res) => {
    otherHostSaw.push(req.headers);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ planted: true }));
  });
  let otherUrl = '';

  beforeAll(async () => {
    hub = await startSyncHub(hubDir.path);
    await seedConsultant(hub);
    // Every case with its own photograph, so each sync really downloads an image.
    // Enough for the first sync (2), and up to 2 per entry (the hostile sync and the recovery).
    for (let i = 0; i < 2 + 2 * hubResponseCorpus.length; i++) {
      const bytes = await sharp(await goodImage())
        .resize(640 + 8 * i)
        .jpeg()
        .toBuffer();
      await hub.admin.addCase({
        ...testCaseInput(i, new Date().toISOString()),
        images: [{ bytes, kind: 'dermoscopy' }],
      });
    }
    proxy = await startFaultProxy(hub.url);
    await new Promise<void>((resolve) => otherHost.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(otherHost.address() as AddressInfo).port}`;
    // A short request timeout so a hub that never finishes its body is abandoned quickly.
    core = openCore(deskDir.path, undefined, { timeoutMs: 1500 });
    await signIn(core, proxy.url);
    await core.handlers['sync.run']({ claim: 2 });
    expect(snapshot().cases).toHaveLength(2);
  });
  afterAll(async () => {
    core.close();
    await proxy.close();
    await hub.close();
    otherHost.closeAllConnections();
    await new Promise((resolve) => otherHost.close(resolve));
    hubDir.remove();
    deskDir.remove();
  });

  /** What the workstation holds: case rows, image rows and the files under images/. */
  function snapshot(): { cases: string[]; images: string[]; files: string[] } {
    const column = (sql: string): string[] => (core.db.prepare(sql).all() as { v: string }[]).map((r) => r.v).sort();
    return {
      cases: column('SELECT id AS v FROM cases'),
      images: column('SELECT sha256 AS v FROM images'),
      files: filesUnder(join(core.dataDir, 'images')),
    };
  }

  it.each(hubResponseCorpus)(
    '$name: the sync fails with a specific error; nothing from it cached; the earlier cache intact; the next sync recovers',
    async (entry) => {
      const before = snapshot();
      proxy.setRule((r) =>
        entry.hits.test(r.path) ? entry.fault({ otherHost: otherUrl, path: r.path }) : { kind: 'pass' },
      );
      const { value: error, grown } = await rssGrowth(() =>
        Promise.resolve(core.handlers['sync.run']({ claim: entry.claim })).then(
          () => null,
          (e: unknown) => e,
        ),
      );
      proxy.setRule(() => ({ kind: 'pass' }));
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(entry.error);
      expect(core.sync.status().lastError).toMatch(entry.error);
      // Bounded: the 20 MB overlong image is cut off at its manifest size, the 5 GB promise is
      // never buffered. 100 MB is far below either attack and far above the noise.
      expect(grown).toBeLessThan(100 * 1024 * 1024);
      expect(snapshot()).toEqual(before);
      for (const sha of before.images) {
        const original = await core.readImage(sha, 'original');
        expect(original.ok && sha256(original.bytes)).toBe(sha);
      }
      // Nothing was left half-done: the next sync goes through and brings in new cases.
      await core.handlers['sync.run']({ claim: 1 });
      expect(snapshot().cases.length).toBeGreaterThan(before.cases.length);
    },
  );

  it('a redirect never carried the bearer token to the other host', () => {
    for (const headers of otherHostSaw) expect(headers.authorization).toBeUndefined();
  });
});
