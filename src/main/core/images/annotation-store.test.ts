import { readFileSync } from 'node:fs';
import { testImageKey } from '../../../../tests/support/cache-key';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../shared/contract/dispatch';
import { emptyDoc, type AnnotationDoc } from '../../../shared/domain/viewer/annotations';
import { dermoscopyFixtures } from '../../../../tests/support/fixtures';
import { sampleCase } from '../../../../tests/support/sample-case';
import { makeTestCore } from '../../../../tests/support/test-core';
import { annotationsSent } from '../outbox/annotation-rows';
import { placeOriginal } from './place-original';

let core: ReturnType<typeof makeTestCore>;
beforeEach(() => {
  core = makeTestCore();
});
afterEach(() => core.cleanup());

const sha = 'a'.repeat(64);
const doc: AnnotationDoc = {
  ...emptyDoc(),
  shapes: [{ id: 'm1', kind: 'measure', color: '#ffd400', from: { x: 1, y: 2 }, to: { x: 101, y: 2 } }],
  calibration: { from: { x: 0, y: 0 }, to: { x: 50, y: 0 }, millimetres: 5 },
};

describe('annotations through the contract', () => {
  it('saves and reads back a document, bumping the revision', async () => {
    expect(await dispatch(core.handlers, 'annotations.get', { sha256: sha })).toEqual({
      ok: true,
      value: { doc: null, revision: 0, syncNote: null },
    });
    expect(await dispatch(core.handlers, 'annotations.save', { sha256: sha, doc, expectedRevision: 0 })).toEqual({
      ok: true,
      value: { revision: 1 },
    });
    const read = await dispatch(core.handlers, 'annotations.get', { sha256: sha });
    expect(read).toEqual({ ok: true, value: { doc, revision: 1, syncNote: null } });
  });

  it('refuses a save based on a stale revision (another window saved first) and keeps the newer marks', async () => {
    await dispatch(core.handlers, 'annotations.save', { sha256: sha, doc, expectedRevision: 0 });
    const stale = await dispatch(core.handlers, 'annotations.save', {
      sha256: sha,
      doc: emptyDoc(),
      expectedRevision: 0,
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await dispatch(core.handlers, 'annotations.get', { sha256: sha })).toMatchObject({ value: { doc } });
  });

  it('refuses malformed documents at the boundary (unknown shape kind, non-SHA id)', async () => {
    const bad = { ...doc, shapes: [{ id: 'x', kind: 'polygon', color: '#ffffff' }] };
    expect(
      await dispatch(core.handlers, 'annotations.save', { sha256: sha, doc: bad, expectedRevision: 0 }),
    ).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    expect(await dispatch(core.handlers, 'annotations.get', { sha256: '../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
  });
});

describe('images through the contract', () => {
  it('derives an original on first status request and reports progress events until ready', async () => {
    const seen: string[] = [];
    core.events.subscribe((name, payload) => {
      if (name === 'images.derivatives-progress') seen.push((payload as { state: string }).state);
    });
    const good = placeOriginal(core.dataDir, testImageKey, readFileSync(dermoscopyFixtures()[2] ?? ''));
    const first = await dispatch(core.handlers, 'images.status', { sha256s: [good] });
    expect(first).toMatchObject({
      ok: true,
      value: { images: [{ sha256: good, state: expect.stringMatching(/^(queued|working)$/) }] },
    });
    await core.derivatives.idle();
    // One round trip gives the viewer the manifest AND each image's readiness (with its pyramid).
    const record = sampleCase({
      images: [
        {
          id: '6f1c1a52-4c1e-4f7e-9a55-0d6f5b8e2a11',
          sha256: good,
          bytes: 1,
          mediaType: 'image/jpeg',
          width: 1,
          height: 1,
          kind: 'dermoscopy',
        },
      ],
    });
    core.cases.upsert(record);
    expect(await dispatch(core.handlers, 'images.forCase', { caseId: record.id })).toMatchObject({
      ok: true,
      value: { images: [{ sha256: good }], statuses: [{ sha256: good, state: 'ready', meta: { tileSize: 256 } }] },
    });
    const done = await dispatch(core.handlers, 'images.status', { sha256s: [good] });
    expect(done).toMatchObject({
      ok: true,
      value: { images: [{ state: 'ready', meta: { tileSize: 256, overlap: 1 } }] },
    });
    expect(seen).toContain('working');
    expect(seen.at(-1)).toBe('ready');
  });

  it('reports an image that is not in the store as missing, and a case manifest by id', async () => {
    const status = await dispatch(core.handlers, 'images.status', { sha256s: ['b'.repeat(64)] });
    expect(status).toMatchObject({ ok: true, value: { images: [{ state: 'missing' }] } });
    const record = sampleCase();
    core.cases.upsert(record);
    expect(await dispatch(core.handlers, 'images.forCase', { caseId: record.id })).toMatchObject({
      ok: true,
      value: { caseId: record.id, images: [], statuses: [] },
    });
    expect(
      await dispatch(core.handlers, 'images.forCase', { caseId: '00000000-0000-4000-8000-000000000000' }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});

describe('annotations queued for the hub', () => {
  const imageSha = 'c'.repeat(64);
  const caseWithImage = (): ReturnType<typeof sampleCase> =>
    sampleCase({
      images: [
        {
          id: '0b9d7a3e-6a51-4b0a-8d3c-2f4e1c9a7b10',
          sha256: imageSha,
          bytes: 1,
          mediaType: 'image/jpeg',
          width: 1,
          height: 1,
          kind: 'close-up',
        },
      ],
    });
  const rows = (): { kind: string; ref_id: string; payload_json: string }[] =>
    core.db.prepare(`SELECT kind, ref_id, payload_json FROM outbox WHERE kind = 'annotations'`).all() as never;

  it('queues one outbox row per case image; later saves replace its document and keep its base version', async () => {
    const record = caseWithImage();
    core.cases.upsert(record);
    await dispatch(core.handlers, 'annotations.save', { sha256: imageSha, doc, expectedRevision: 0 });
    const first = rows();
    expect(first).toHaveLength(1);
    expect(first[0]?.ref_id).toBe(`${record.id}.${imageSha}.${JSON.parse(first[0]?.payload_json ?? '{}').saveId}`);
    expect(JSON.parse(first[0]?.payload_json ?? '{}')).toMatchObject({
      caseId: record.id,
      sha256: imageSha,
      baseVersion: 0,
      doc,
    });
    await dispatch(core.handlers, 'annotations.save', { sha256: imageSha, doc: emptyDoc(), expectedRevision: 1 });
    const second = rows();
    expect(second).toHaveLength(1);
    const payload = JSON.parse(second[0]?.payload_json ?? '{}') as {
      baseVersion: number;
      doc: unknown;
      saveId: string;
    };
    expect(payload).toMatchObject({ baseVersion: 0, doc: emptyDoc() });
    expect(payload.saveId).not.toBe(JSON.parse(first[0]?.payload_json ?? '{}').saveId);
  });

  it('a save made while the previous one was in flight is rebased on the version that one produced', async () => {
    const record = caseWithImage();
    core.cases.upsert(record);
    await dispatch(core.handlers, 'annotations.save', { sha256: imageSha, doc, expectedRevision: 0 });
    const inFlight = rows()[0]?.payload_json ?? '{}';
    // The consultant saves again before the hub answered: the row is replaced (base still 0)…
    await dispatch(core.handlers, 'annotations.save', { sha256: imageSha, doc: emptyDoc(), expectedRevision: 1 });
    // …then the hub accepts the first save (version 1).
    core.db.transaction(() => annotationsSent(core.db, inFlight))();
    expect(JSON.parse(rows()[0]?.payload_json ?? '{}')).toMatchObject({ baseVersion: 1, doc: emptyDoc() });
    expect(core.db.prepare('SELECT hub_version FROM image_annotations WHERE image_sha256 = ?').get(imageSha)).toEqual({
      hub_version: 1,
    });
  });

  it('queues nothing for an image no cached case shows', async () => {
    await dispatch(core.handlers, 'annotations.save', { sha256: sha, doc, expectedRevision: 0 });
    expect(rows()).toHaveLength(0);
  });

  it('refuses a document too large to sync (huge freehand), naming the limit, and stores nothing', async () => {
    core.cases.upsert(caseWithImage());
    const points = Array.from({ length: 5000 }, (_, i) => ({ x: i, y: i }));
    const huge: AnnotationDoc = {
      ...emptyDoc(),
      shapes: Array.from({ length: 5 }, (_, i) => ({
        id: `f${i}`,
        kind: 'freehand' as const,
        color: '#ffd400',
        points,
      })),
    };
    const saved = await dispatch(core.handlers, 'annotations.save', {
      sha256: imageSha,
      doc: huge,
      expectedRevision: 0,
    });
    expect(saved).toMatchObject({
      ok: false,
      error: { code: 'validation', field: 'doc', message: expect.stringMatching(/too (large|many)/) },
    });
    expect(rows()).toHaveLength(0);
    expect(await dispatch(core.handlers, 'annotations.get', { sha256: imageSha })).toMatchObject({
      value: { doc: null },
    });
  });
});
