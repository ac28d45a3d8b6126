import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../../../tests/support/fixtures';
import { keyImage } from './key-image';

const fixture = readFileSync(fixturePath('dermoscopy', 'ISIC_0024338.jpg'));
const entry = (n: number, kind: 'overview' | 'dermoscopy') => ({
  id: `7d8c5f0e-2a8b-4c1d-9e6f-1a2b3c4d5e6${n}`,
  sha256: String(n).repeat(64),
  bytes: 1,
  mediaType: 'image/jpeg' as const,
  width: 600,
  height: 450,
  kind,
});
const images = [entry(1, 'overview'), entry(2, 'dermoscopy')];

describe('keyImage, strict (the hub: a letter issued once must not lose its picture to a passing fault)', () => {
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
