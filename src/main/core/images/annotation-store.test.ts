import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../shared/contract/dispatch';
import { emptyDoc, type AnnotationDoc } from '../../../shared/domain/viewer/annotations';
import { dermoscopyFixtures } from '../../../../tests/support/fixtures';
import { sampleCase } from '../../../../tests/support/sample-case';
import { makeTestCore } from '../../../../tests/support/test-core';
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
      value: { doc: null, revision: 0 },
    });
    expect(await dispatch(core.handlers, 'annotations.save', { sha256: sha, doc, expectedRevision: 0 })).toEqual({
      ok: true,
      value: { revision: 1 },
    });
    const read = await dispatch(core.handlers, 'annotations.get', { sha256: sha });
    expect(read).toEqual({ ok: true, value: { doc, revision: 1 } });
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
    const good = placeOriginal(core.dataDir, readFileSync(dermoscopyFixtures()[2] ?? ''));
    const first = await dispatch(core.handlers, 'images.status', { sha256s: [good] });
    expect(first).toMatchObject({
      ok: true,
      value: { images: [{ sha256: good, state: expect.stringMatching(/^(queued|working)$/) }] },
    });
    await core.derivatives.idle();
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
      value: { caseId: record.id, images: [] },
    });
    expect(
      await dispatch(core.handlers, 'images.forCase', { caseId: '00000000-0000-4000-8000-000000000000' }),
    ).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });
});
