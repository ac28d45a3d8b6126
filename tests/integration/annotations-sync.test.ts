import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/start-hub';
import type { Core } from '../../src/main/core/create-core';
import { emptyDoc, type AnnotationDoc } from '../../src/shared/domain/viewer/annotations';
import { ANNOTATIONS_MAX_BYTES } from '../../src/shared/hub-api/annotations-api';
import { makeTempDir } from '../support/temp-dir';
import { CONSULTANT, openCore, seedCases, seedConsultant, signIn, startTestHub } from './sync-support';

/**
 * The consultant's marks through the real hub on loopback: saved on workstation A, sent by A's
 * outbox, downloaded with the case by a fresh workstation B; a save based on a stale version is
 * refused (nothing overwritten); hostile and oversized documents are refused with specific codes.
 */
let hub: RunningHub;
let a: Core;
let b: Core;
let caseId: string;
let shas: string[];
const hubDir = makeTempDir('dermdesk-hub-');
const dirA = makeTempDir('dermdesk-desk-a-');
const dirB = makeTempDir('dermdesk-desk-b-');

const marks = (label: string): AnnotationDoc => ({
  ...emptyDoc(),
  shapes: [
    { id: 'a1', kind: 'arrow', color: '#ffd400', from: { x: 10, y: 10 }, to: { x: 120, y: 80 } },
    { id: 't1', kind: 'text', color: '#ffffff', at: { x: 130, y: 90 }, text: label },
  ],
  calibration: { from: { x: 0, y: 0 }, to: { x: 200, y: 0 }, millimetres: 10 },
});

async function token(): Promise<string> {
  const res = await fetch(`${hub.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: CONSULTANT.username, password: CONSULTANT.password }),
  });
  return ((await res.json()) as { token: string }).token;
}

async function put(
  sha: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: { error?: { code: string; message: string; field?: string }; version?: number } }> {
  const res = await fetch(`${hub.url}/api/v1/cases/${caseId}/images/${sha}/annotations`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${await token()}`,
      'content-type': 'application/json',
      'if-match': '"0"',
      'idempotency-key': 'test-save-1',
      ...headers,
    },
    body,
  });
  return { status: res.status, json: (await res.json()) as never };
}

beforeAll(async () => {
  hub = await startTestHub(hubDir.path);
  await seedConsultant(hub);
  [caseId] = (await seedCases(hub, 1, 3)) as [string];
  a = openCore(dirA.path);
  await signIn(a, hub.url);
  await a.handlers['sync.run']({ claim: 1 });
  const images = await a.handlers['images.forCase']({ caseId });
  shas = images.images.map((i) => i.sha256);
});
afterAll(async () => {
  a.close();
  b?.close();
  await hub.close();
  hubDir.remove();
  dirA.remove();
  dirB.remove();
});

const outboxRows = (core: Core): { held: number; last_error: string | null }[] =>
  core.db.prepare(`SELECT held, last_error FROM outbox WHERE kind = 'annotations'`).all() as never;

describe('annotations synced through the hub', () => {
  it('saved on workstation A, sent by its outbox, and seen by a fresh workstation B after its sync', async () => {
    const sha = shas[0] as string;
    await a.handlers['annotations.save']({ sha256: sha, doc: marks('A first'), expectedRevision: 0 });
    await a.handlers['annotations.save']({ sha256: sha, doc: marks('A second'), expectedRevision: 1 });
    expect(outboxRows(a)).toHaveLength(1);
    await a.handlers['sync.run']({ claim: 0 });
    expect(outboxRows(a)).toHaveLength(0);

    b = openCore(dirB.path);
    await signIn(b, hub.url);
    await b.handlers['sync.run']({ claim: 0 });
    const seen = await b.handlers['annotations.get']({ sha256: sha });
    expect(seen.doc).toEqual(marks('A second'));
    expect(seen.syncNote).toBeNull();
    // Images without marks stay without; B's download queued nothing to send back.
    expect((await b.handlers['annotations.get']({ sha256: shas[1] as string })).doc).toBeNull();
    expect(outboxRows(b)).toHaveLength(0);
  });

  it("a save based on a stale version is refused (412): A's marks stay local and say why, B's stay on the hub", async () => {
    const sha = shas[0] as string;
    const bRev = (await b.handlers['annotations.get']({ sha256: sha })).revision;
    await b.handlers['annotations.save']({ sha256: sha, doc: marks('B edit'), expectedRevision: bRev });
    await b.handlers['sync.run']({ claim: 0 });
    expect(outboxRows(b)).toHaveLength(0);

    const aRev = (await a.handlers['annotations.get']({ sha256: sha })).revision;
    await a.handlers['annotations.save']({ sha256: sha, doc: marks('A late edit'), expectedRevision: aRev });
    await a.handlers['sync.run']({ claim: 0 });
    expect(outboxRows(a)).toEqual([{ held: 1, last_error: expect.stringMatching(/changed elsewhere/) }]);
    const onA = await a.handlers['annotations.get']({ sha256: sha });
    expect(onA.doc).toEqual(marks('A late edit'));
    expect(onA.syncNote).toMatch(/did not keep these marks.*changed elsewhere/);

    // A third, fresh workstation gets B's marks: the stale save overwrote nothing.
    const dirC = makeTempDir('dermdesk-desk-c-');
    const c = openCore(dirC.path);
    try {
      await signIn(c, hub.url);
      await c.handlers['sync.run']({ claim: 0 });
      expect((await c.handlers['annotations.get']({ sha256: sha })).doc).toEqual(marks('B edit'));
    } finally {
      c.close();
      dirC.remove();
    }
  });

  it('a resend of the same save (answer lost) is answered again, not refused as stale', async () => {
    const sha = shas[2] as string;
    const body = JSON.stringify({ doc: marks('resend') });
    const first = await put(sha, body, { 'idempotency-key': 'resend-1' });
    expect(first).toMatchObject({ status: 200, json: { version: 1 } });
    expect(await put(sha, body, { 'idempotency-key': 'resend-1' })).toMatchObject({
      status: 200,
      json: { version: 1 },
    });
    expect(await put(sha, body, { 'idempotency-key': 'another-save' })).toMatchObject({
      status: 412,
      json: { error: { code: 'annotations-stale' } },
    });
  });

  it('refuses hostile and oversized documents with specific errors, storing nothing', async () => {
    const sha = shas[1] as string;
    const cases: [string, number, string][] = [
      // Unknown shape kind, a script where a colour goes, coordinates far outside any image, a
      // document that is not an object at all, a schema version from the future.
      [JSON.stringify({ doc: { ...emptyDoc(), shapes: [{ id: 'x', kind: 'polygon' }] } }), 422, 'invalid-annotations'],
      [
        JSON.stringify({
          doc: {
            ...emptyDoc(),
            shapes: [{ id: 'x', kind: 'arrow', color: '<script>', from: { x: 0, y: 0 }, to: { x: 1, y: 1 } }],
          },
        }),
        422,
        'invalid-annotations',
      ],
      [
        JSON.stringify({
          doc: { ...emptyDoc(), shapes: [{ id: 'x', kind: 'measure', from: { x: 1e300, y: 0 }, to: { x: 0, y: 0 } }] },
        }),
        422,
        'invalid-annotations',
      ],
      // Fastify's JSON parser refuses a __proto__ key (and truncated JSON) before the route runs.
      ['{"doc":{"schemaVersion":1,"shapes":[],"calibration":null},"__proto__":{"admin":true}}', 400, 'malformed-json'],
      ['{"doc":{"schemaVersion":1,"shapes":[', 400, 'malformed-json'],
      [JSON.stringify({ doc: 'DROP TABLE image_annotations' }), 422, 'invalid-annotations'],
      [JSON.stringify({ doc: { ...emptyDoc(), schemaVersion: 99 } }), 422, 'invalid-annotations'],
    ];
    for (const [body, status, code] of cases) {
      const res = await put(sha, body);
      expect(res.status, body.slice(0, 80)).toBe(status);
      expect(res.json.error?.code).toBe(code);
    }
    // Oversized but valid: within the route's body limit, over the document limit → its own code.
    const points = Array.from({ length: 5000 }, (_, i) => ({ x: i, y: i / 3 }));
    const huge = {
      ...emptyDoc(),
      shapes: Array.from({ length: 4 }, (_, i) => ({ id: `f${i}`, kind: 'freehand', color: '#ffd400', points })),
    };
    const hugeBody = JSON.stringify({ doc: huge });
    expect(hugeBody.length).toBeGreaterThan(ANNOTATIONS_MAX_BYTES);
    const tooLarge = await put(sha, hugeBody);
    expect(tooLarge).toMatchObject({ status: 413, json: { error: { code: 'annotations-too-large', field: 'doc' } } });
    expect(tooLarge.json.error?.message).toMatch(/KiB/);
    // Beyond even the route's body limit: cut off before parsing.
    expect((await put(sha, JSON.stringify({ doc: emptyDoc(), pad: 'x'.repeat(1_100_000) }))).status).toBe(413);
    // Wrong image for the case, no If-Match, an If-Match that is not a version.
    expect((await put('f'.repeat(64), JSON.stringify({ doc: emptyDoc() }))).json.error?.code).toBe('image-not-found');
    expect((await put(sha, JSON.stringify({ doc: emptyDoc() }), { 'if-match': '' })).status).toBe(400);
    const noIfMatch = await fetch(`${hub.url}/api/v1/cases/${caseId}/images/${sha}/annotations`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json', 'idempotency-key': 'k' },
      body: JSON.stringify({ doc: emptyDoc() }),
    });
    expect(noIfMatch.status).toBe(428);
    // Nothing was stored for that image: a fresh download still has no marks on it.
    const res = await fetch(`${hub.url}/api/v1/cases/${caseId}`, {
      headers: { authorization: `Bearer ${await token()}` },
    });
    const record = (await res.json()) as { annotations?: { sha256: string }[] };
    expect(record.annotations?.map((x) => x.sha256)).not.toContain(sha);
  });

  it('is described in /openapi.json', async () => {
    const doc = (await (await fetch(`${hub.url}/openapi.json`)).json()) as { paths: Record<string, { put?: unknown }> };
    expect(doc.paths['/api/v1/cases/{caseId}/images/{sha256}/annotations']?.put).toBeDefined();
  });
});
