import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testImageKey } from '../../../../tests/support/cache-key';
import { exifOrientationFixtures } from '../../../../tests/support/fixtures';
import { sampleCase } from '../../../../tests/support/sample-case';
import { makeTestCore } from '../../../../tests/support/test-core';
import { SyncKv } from '../db/sync-kv';
import { originalPath } from './image-paths';
import { placeOriginal } from './place-original';

const consultant = { id: 'c-export', displayName: 'Dr Export' };
// Landscape_6: stored portrait, shown landscape once EXIF orientation 6 is applied.
const fixture = exifOrientationFixtures().find((f) => f.shape === 'Landscape' && f.orientation === 6);

describe('exporting an annotated image (images.exportAnnotated)', () => {
  let core: ReturnType<typeof makeTestCore>;
  beforeEach(() => {
    core = makeTestCore();
    new SyncKv(core.db).setConsultant(consultant);
  });
  afterEach(() => core.cleanup());

  function cacheCase(bytes: Buffer): { caseId: string; sha256: string } {
    const sha256 = placeOriginal(core.dataDir, testImageKey, bytes);
    const record = sampleCase({
      images: [
        {
          id: '7d8c5f0e-2a8b-4c1d-9e6f-1a2b3c4d5e61',
          sha256,
          bytes: bytes.length,
          mediaType: 'image/jpeg',
          width: 10,
          height: 10,
          kind: 'close-up',
        },
      ],
    });
    core.cases.upsert(record);
    return { caseId: record.id, sha256 };
  }

  it('writes the upright original at full resolution with the marks burnt in, outside the data directory, and audits it', async () => {
    const bytes = readFileSync(fixture?.file ?? '');
    const { caseId, sha256 } = cacheCase(bytes);
    const upright = (await sharp(bytes).metadata()).autoOrient;
    // A thick yellow ellipse around the centre, in oriented-image pixels.
    const center = { x: Math.round(upright.width / 2), y: Math.round(upright.height / 2) };
    await core.handlers['annotations.save']({
      sha256,
      doc: {
        schemaVersion: 1,
        calibration: null,
        shapes: [{ id: 'e1', kind: 'ellipse', color: '#ffd400', center, rx: 60, ry: 40 }],
      },
      expectedRevision: 0,
    });

    const out = await core.handlers['images.exportAnnotated']({ caseId, sha256 });
    expect([out.width, out.height]).toEqual([upright.width, upright.height]);
    expect(out.path.startsWith(core.dataDir)).toBe(false);
    // Patient data outside the encrypted cache: readable by this user only.
    expect(statSync(out.path).mode & 0o777).toBe(0o600);
    const png = readFileSync(out.path);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');

    // On the ellipse's right-most point the export is the mark's yellow; the plain image is not.
    const at = { left: center.x + 60, top: center.y, width: 1, height: 1 };
    const marked = await sharp(png).extract(at).raw().toBuffer();
    const plain = await sharp(bytes).rotate().extract(at).raw().toBuffer();
    expect([...marked.subarray(0, 3)]).toEqual([0xff, 0xd4, 0x00]);
    expect([...plain.subarray(0, 3)]).not.toEqual([0xff, 0xd4, 0x00]);

    const audit = core.db
      .prepare(`SELECT case_id, detail_json FROM audit_log WHERE action = 'case.exported'`)
      .all() as Array<{ case_id: string; detail_json: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]?.case_id).toBe(caseId);
    expect(JSON.parse(audit[0]?.detail_json ?? '{}')).toMatchObject({ kind: 'annotated-image', sha256, marks: 1 });
  });

  it('needs a signed-in consultant (the audit row names who made the copy)', async () => {
    const { caseId, sha256 } = cacheCase(readFileSync(fixture?.file ?? ''));
    new SyncKv(core.db).setConsultant(null);
    await expect(core.handlers['images.exportAnnotated']({ caseId, sha256 })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'Sign in to the referral hub first: an export is recorded under your name.',
    });
  });

  it('refuses an image that is not in the case, and a damaged original, writing and auditing nothing', async () => {
    const { caseId, sha256 } = cacheCase(readFileSync(fixture?.file ?? ''));
    await expect(core.handlers['images.exportAnnotated']({ caseId, sha256: 'b'.repeat(64) })).rejects.toMatchObject({
      code: 'not-found',
      field: 'sha256',
    });
    writeFileSync(originalPath(core.dataDir, sha256), Buffer.from('planted plaintext, not ours'));
    await expect(core.handlers['images.exportAnnotated']({ caseId, sha256 })).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/integrity check/),
    });
    const exportDir = join(core.dataDir, '..', 'exports');
    expect(existsSync(exportDir) ? readdirSync(exportDir) : []).toEqual([]);
    const n = core.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.exported'`).get() as {
      n: number;
    };
    expect(n.n).toBe(0);
  });
});
