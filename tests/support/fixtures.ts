import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The shared real-image fixtures live beside the repository (../shared/fixtures), both here and
 * on CI's fresh clone. Always resolve them through this module, never by an absolute path.
 */
export const repoRoot = resolve(import.meta.dirname, '../..');
export const fixturesDir = resolve(repoRoot, '../shared/fixtures');

export function fixturePath(...parts: string[]): string {
  const path = join(fixturesDir, ...parts);
  if (!existsSync(path)) throw new Error(`Missing shared fixture ${path}: is ../shared beside the repository?`);
  return path;
}

/** The real dermoscopy images (HAM10000, CC BY-NC-SA 4.0: see ../shared/fixtures/dermoscopy/SOURCE.md). */
export function dermoscopyFixtures(): string[] {
  const dir = fixturePath('dermoscopy');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => join(dir, f));
}

/** Landscape_1..8 and Portrait_1..8: every EXIF orientation (see exif-orientation/SOURCE.md). */
export function exifOrientationFixtures(): { file: string; orientation: number; shape: 'Landscape' | 'Portrait' }[] {
  const dir = fixturePath('exif-orientation');
  return readdirSync(dir)
    .map((f) => /^(Landscape|Portrait)_([1-8])\.jpg$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: join(dir, m[0]), orientation: Number(m[2]), shape: m[1] as 'Landscape' | 'Portrait' }))
    .sort((a, b) => a.shape.localeCompare(b.shape) || a.orientation - b.orientation);
}
