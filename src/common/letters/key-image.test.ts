import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { emptyDoc, type AnnotationDoc } from '../../shared/domain/viewer/annotations';
import { keyImage, keyImageCandidates } from './key-image';
import { fixturePath } from '../../../tests/support/fixtures';

const fixture = readFileSync(fixturePath('dermoscopy', 'ISIC_0024338.jpg'));
const entry = (n: number, kind: 'overview' | 'close-up' | 'dermoscopy') => ({
  id: `7d8c5f0e-2a8b-4c1d-9e6f-1a2b3c4d5e6${n}`,
  sha256: String(n).repeat(64),
  bytes: 1,
  mediaType: 'image/jpeg' as const,
  width: 600,
  height: 450,
  kind,
});
const ring: AnnotationDoc = {
  ...emptyDoc(),
  shapes: [{ id: 's', kind: 'ellipse', color: '#ff0000', center: { x: 300, y: 225 }, rx: 120, ry: 90 }],
};

describe('the key image (common to the workstation and the hub)', () => {
  const images = [entry(1, 'overview'), entry(2, 'close-up'), entry(3, 'dermoscopy')];

  it('prefers an annotated image, then anything but an overview, else the referral order', () => {
    expect(keyImageCandidates({ images }, () => null).map((i) => i.kind)).toEqual([
      'close-up',
      'dermoscopy',
      'overview',
    ]);
    const marked = (sha: string) => (sha === images[0]!.sha256 ? ring : null);
    expect(keyImageCandidates({ images }, marked)[0]!.kind).toBe('overview');
    // An empty document is no marks at all.
    expect(keyImageCandidates({ images }, () => emptyDoc())[0]!.kind).toBe('close-up');
  });

  it("burns the consultant's marks into the picture and says so", async () => {
    const marked = (sha: string) => (sha === images[2]!.sha256 ? ring : null);
    const withMarks = await keyImage({ images }, { marksOf: marked, original: async () => fixture });
    const without = await keyImage({ images: [images[2]!] }, { marksOf: () => null, original: async () => fixture });
    expect(withMarks?.caption).toBe("dermoscopy image, with the consultant's marks");
    expect(without?.caption).toBe('dermoscopy image');
    // The ring is drawn where it was put: the pixel under its edge is red only with the marks.
    const pixel = async (jpeg: Buffer): Promise<[number, number, number]> => {
      const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
      const at = (225 * info.width + 420) * info.channels;
      return [data[at]!, data[at + 1]!, data[at + 2]!];
    };
    const [r, g, b] = await pixel(withMarks!.jpeg);
    expect(r - Math.max(g, b)).toBeGreaterThan(80);
    const [r0, g0, b0] = await pixel(without!.jpeg);
    expect(r0 - Math.max(g0, b0)).toBeLessThan(80);
  });

  it('skips an unreadable or corrupt image and is null when none can be drawn', async () => {
    const bytes = new Map([
      [images[1]!.sha256, Buffer.from('not really a jpeg')],
      [images[2]!.sha256, fixture],
    ]);
    const drawn = await keyImage({ images }, { marksOf: () => null, original: async (sha) => bytes.get(sha) ?? null });
    expect(drawn?.caption).toBe('dermoscopy image');
    expect(await keyImage({ images }, { marksOf: () => null, original: async () => null })).toBeNull();
    expect(
      await keyImage({ images }, { marksOf: () => null, original: async () => fixture.subarray(0, 400) }),
    ).toBeNull();
  });
});

describe('keyImage, strict (the hub: a letter issued once must not lose its picture to a passing fault)', () => {
  const images = [entry(1, 'overview'), entry(2, 'dermoscopy')];
  it('an image that fails to decode fails the call (lenient: skipped); one absent is still skipped', async () => {
    // The dermoscopy image is tried first (close-up before overview).
    const bytes = new Map([
      [images[1]!.sha256, Buffer.from('not really a jpeg')],
      [images[0]!.sha256, fixture],
    ]);
    const source = { marksOf: () => null, original: async (sha: string) => bytes.get(sha) ?? null };
    expect((await keyImage({ images }, source))?.caption).toBe('overview image');
    await expect(keyImage({ images }, source, { strict: true })).rejects.toThrow();
    bytes.delete(images[1]!.sha256);
    expect((await keyImage({ images }, source, { strict: true }))?.caption).toBe('overview image');
  });
});
