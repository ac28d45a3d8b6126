import { createHash } from 'node:crypto';
import { testImageKey } from '../../../../tests/support/cache-key';
import { placeOriginal } from '../images/place-original';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pdfText } from '../../../../tests/support/pdf-text';
import { sampleCase, sampleDischarge } from '../../../../tests/support/sample-case';
import { makeTestCore } from '../../../../tests/support/test-core';
import { AnnotationStore } from '../images/annotation-store';
import { originalPath, originalsDir } from '../images/image-paths';
import { signDecision } from '../decisions/sign-decision';
import type { ExportFiles } from '../images/export-annotated';
import { generateLetter } from './generate-letter';
import { letterContent } from '../../../common/letters/letter-content';
import { fixturePath } from '../../../../tests/support/fixtures';

const now = new Date('2026-11-26T10:00:00.000Z');
const consultant = { id: 'c-1', displayName: 'Dr Grace Hopper' };
const fixture = fixturePath('dermoscopy', 'ISIC_0024338.jpg');

describe('outcome letter to the GP', () => {
  let core: ReturnType<typeof makeTestCore>;
  beforeEach(() => {
    core = makeTestCore({ now: () => now });
  });
  afterEach(() => core.cleanup());

  const files = (): ExportFiles => ({
    dataDir: core.dataDir,
    imageKey: testImageKey,
    exportDir: join(core.dataDir, '..', 'exports'),
  });

  function cacheOriginal(path: string): { sha256: string; bytes: number } {
    const data = readFileSync(path);
    const sha256 = createHash('sha256').update(data).digest('hex');
    placeOriginal(core.dataDir, testImageKey, data);
    return { sha256, bytes: data.length };
  }

  it('carries practice, patient, outcome, diagnosis, plan, leaflets, key image, consultant and date', async () => {
    const img = cacheOriginal(fixture);
    const record = sampleCase({
      images: [
        {
          id: '7d8c5f0e-2a8b-4c1d-9e6f-1a2b3c4d5e6f',
          sha256: img.sha256,
          bytes: img.bytes,
          mediaType: 'image/jpeg',
          width: 600,
          height: 450,
          kind: 'dermoscopy',
        },
      ],
    });
    core.cases.upsert(record);
    const decision = signDecision(
      core.db,
      {
        caseId: record.id,
        content: sampleDischarge({
          diagnosis: { snomedCode: '442348004', label: 'Inflamed seborrhoeic keratosis' },
          plan: {
            ...sampleDischarge().plan,
            leaflets: [
              {
                title: 'BAD patient information: Seborrhoeic keratosis',
                url: 'https://www.skinhealthinfo.org.uk/condition/seborrhoeic-keratoses/',
              },
            ],
          },
        }),
        consultant,
      },
      now,
    );
    const letter = await generateLetter(core.db, files(), decision.id, 'c-1', now);
    expect(existsSync(letter.path)).toBe(true);
    // Patient data on disk: the letter readable by this user only, its new folder listable by them only.
    expect(statSync(letter.path).mode & 0o777).toBe(0o600);
    expect(statSync(files().exportDir).mode & 0o777).toBe(0o700);
    const { text, images } = await pdfText(letter.path);
    expect(text).toContain('Riverside Medical Practice');
    expect(text).toContain('Dr Priya Shah');
    expect(text).toMatch(/Name: Ada LOVELACE Date of birth: 14\/03\/1961 NHS number: \d{3} \d{3} \d{4}/);
    expect(text).toContain('Discharge with advice and treatment plan to the GP');
    expect(text).toContain('Inflamed seborrhoeic keratosis (SNOMED CT 442348004)');
    expect(text).toContain('Safety-netting advice for the patient: See your GP if the lesion changes');
    // Long URLs wrap across lines in the PDF; compare without whitespace.
    expect(text.replace(/\s/g, '')).toContain('https://www.skinhealthinfo.org.uk/condition/seborrhoeic-keratoses/');
    expect(text).toContain('Dr Grace Hopper');
    expect(text).toContain('Signed 26/11/2026');
    expect(text).toContain('dermoscopy image');
    expect(images).toBe(1);
    const audit = core.db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'case.exported'`).get() as {
      n: number;
    };
    expect(audit.n).toBe(1);
  });

  it('still writes the letter when the cached image is corrupt or missing', async () => {
    mkdirSync(originalsDir(core.dataDir), { recursive: true });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(originalPath(core.dataDir, 'a'.repeat(64)), Buffer.from('not really a jpeg'));
    const record = sampleCase({
      images: [
        {
          id: '7d8c5f0e-2a8b-4c1d-9e6f-1a2b3c4d5e60',
          sha256: 'a'.repeat(64),
          bytes: 17,
          mediaType: 'image/jpeg',
          width: 10,
          height: 10,
          kind: 'close-up',
        },
      ],
    });
    core.cases.upsert(record);
    const decision = signDecision(core.db, { caseId: record.id, content: sampleDischarge(), consultant }, now);
    const letter = await generateLetter(core.db, files(), decision.id, 'c-1', now);
    const { text, images } = await pdfText(letter.path);
    expect(images).toBe(0);
    expect(text).toContain('Teledermatology outcome');
  });

  it("draws the consultant's annotations on the key image and says so", async () => {
    const img = cacheOriginal(fixture);
    const plain = cacheOriginal(fixturePath('dermoscopy', 'ISIC_0024367.jpg'));
    const entry = (sha256: string, bytes: number, id: string) => ({
      id,
      sha256,
      bytes,
      mediaType: 'image/jpeg' as const,
      width: 600,
      height: 450,
      kind: 'close-up' as const,
    });
    const record = sampleCase({
      images: [
        entry(plain.sha256, plain.bytes, '7d8c5f0e-2a8b-4c1d-9e6f-1a2b3c4d5e61'),
        entry(img.sha256, img.bytes, '7d8c5f0e-2a8b-4c1d-9e6f-1a2b3c4d5e62'),
      ],
    });
    core.cases.upsert(record);
    new AnnotationStore(core.db, () => now).save(
      img.sha256,
      {
        schemaVersion: 1,
        calibration: null,
        shapes: [{ id: 's1', color: '#ffd400', kind: 'ellipse', center: { x: 300, y: 220 }, rx: 80, ry: 60 }],
      },
      0,
    );
    const decision = signDecision(core.db, { caseId: record.id, content: sampleDischarge(), consultant }, now);
    const letter = await generateLetter(core.db, files(), decision.id, 'c-1', now);
    const { text, images } = await pdfText(letter.path);
    expect(images).toBe(1);
    expect(text).toContain("close-up image, with the consultant's marks");
  });

  it('refuses an unknown decision id', async () => {
    await expect(generateLetter(core.db, files(), '00000000-0000-4000-8000-000000000000', 'c-1', now)).rejects.toThrow(
      /sign the decision first/,
    );
  });

  it('words downgrade advice as the referrer’s decision and marks amendments', () => {
    const record = sampleCase({ referral: { priority: 'suspected-cancer' } });
    const content = letterContent(record, {
      ...sampleDischarge({
        downgradeAdvice: 'Looks like a seborrhoeic keratosis; consider downgrading.',
        sevenPointScore: 1,
      }),
      id: '00000000-0000-4000-8000-000000000001',
      caseId: record.id,
      caseVersion: 1,
      version: 2,
      supersedes: '00000000-0000-4000-8000-000000000002',
      signedBy: consultant,
      signedAt: '2026-11-26T10:00:00.000Z',
    });
    const all = content.sections.flatMap((s) => [s.heading, ...s.lines]).join('\n');
    expect(all).toMatch(/Only you, as the referrer, can downgrade/);
    expect(all).toMatch(/Score 1 \(below 3\)/);
    expect(content.signature.join(' ')).toMatch(/amendment, version 2/);
  });
});
