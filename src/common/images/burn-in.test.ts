import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { emptyDoc, type AnnotationDoc } from '../../shared/domain/viewer/annotations';
import { burnInAnnotations, burnInAnnotationsFitted } from './burn-in';
import { fixturePath } from '../../../tests/support/fixtures';

const fixture = readFileSync(fixturePath('dermoscopy', 'ISIC_0024338.jpg'));
// A ring in the upright (oriented) picture's pixels, off-centre so a wrong turn would move it.
const ring: AnnotationDoc = {
  ...emptyDoc(),
  shapes: [{ id: 's', kind: 'ellipse', color: '#ff0000', center: { x: 150, y: 400 }, rx: 60, ry: 40 }],
};

async function rgb(png: Buffer): Promise<{ data: Buffer; width: number; height: number }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** Mean absolute difference per channel value between two pictures of one size. */
function meanDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe('burning the marks in at the letter size (decoded small, never full size)', () => {
  it('gives the picture the full-size burn-in gives once scaled, marks where they were drawn, EXIF orientation applied', async () => {
    // Stored sideways (450 x 600) with EXIF orientation 6, as phones write: upright, 600 x 450 again.
    const sideways = await sharp(fixture).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const fitted = await burnInAnnotationsFitted(sideways, ring, 300);
    expect([fitted.width, fitted.height]).toEqual([300, 225]);
    const full = await burnInAnnotations(sideways, ring);
    expect([full.width, full.height]).toEqual([600, 450]);
    const scaled = await sharp(full.png).resize({ width: 300, height: 225 }).png().toBuffer();
    const [ours, theirs] = [await rgb(fitted.png), await rgb(scaled)];
    expect(meanDiff(ours.data, theirs.data)).toBeLessThan(6);
    // The ring's right edge (x 210, y 400 upright) at half scale: red in ours.
    const at = (200 * ours.width + 105) * 3;
    expect(ours.data[at]! - Math.max(ours.data[at + 1]!, ours.data[at + 2]!)).toBeGreaterThan(80);
    // Without marks there is no red there.
    const bare = await rgb((await burnInAnnotationsFitted(sideways, null, 300)).png);
    expect(bare.data[at]! - Math.max(bare.data[at + 1]!, bare.data[at + 2]!)).toBeLessThan(80);
  });

  it('never enlarges a small picture, and refuses corrupt or truncated bytes', async () => {
    const small = await burnInAnnotationsFitted(fixture, null, 2000);
    expect([small.width, small.height]).toEqual([600, 450]);
    await expect(burnInAnnotationsFitted(Buffer.from('not an image'), ring, 300)).rejects.toThrow();
    await expect(burnInAnnotationsFitted(fixture.subarray(0, fixture.length >> 1), ring, 300)).rejects.toThrow();
  });

  it('fits the photograph with one resize and no lossy pass in between (no marks: the plain resize, pixel for pixel)', async () => {
    const { png } = await burnInAnnotationsFitted(fixture, null, 300);
    const direct = await sharp(fixture)
      .rotate()
      .resize({ width: 300, height: 300, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .raw()
      .toBuffer();
    expect((await rgb(png)).data.equals(direct)).toBe(true);
  });
});
