import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_CACHE_KEY, testImageKey } from '../../../../tests/support/cache-key';
import { dermoscopyFixtures } from '../../../../tests/support/fixtures';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { encryptBuffer } from '../crypto/file-cipher';
import { openCache } from '../db/open-cache';
import { imageDir, originalPath } from './image-paths';
import { readCachedImage } from './image-reader';
import { moveLegacyOriginals } from './legacy-originals';

const now = new Date('2026-11-24T09:00:00.000Z');

/** Writes an original where caches before the flat layout kept it: images/<sha[0:2]>/<sha>/original. */
function plantLegacy(dataDir: string, sha: string, sealed: Buffer): string {
  mkdirSync(imageDir(dataDir, sha), { recursive: true });
  const path = join(imageDir(dataDir, sha), 'original');
  writeFileSync(path, sealed);
  return path;
}

describe('moveLegacyOriginals', () => {
  const dirs: Array<{ remove: () => void }> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('moves every original of an older cache to images/originals/<sha>, bytes untouched, and readable there', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const photo = readFileSync(dermoscopyFixtures()[0] ?? '');
    const sealed = encryptBuffer(testImageKey, photo);
    const shaA = 'a'.repeat(64);
    const shaB = 'b1'.repeat(32);
    const legacyA = plantLegacy(dir.path, shaA, sealed);
    const legacyB = plantLegacy(dir.path, shaB, sealed);
    // Derivatives stay where they are.
    writeFileSync(join(imageDir(dir.path, shaA), 'preview.webp'), 'webp');
    const { db } = openCache(dir.path, TEST_CACHE_KEY, now);
    try {
      expect(moveLegacyOriginals(db, dir.path)).toBe(2);
      expect(existsSync(legacyA) || existsSync(legacyB)).toBe(false);
      expect(readFileSync(originalPath(dir.path, shaA)).equals(sealed)).toBe(true);
      expect(readFileSync(originalPath(dir.path, shaB)).equals(sealed)).toBe(true);
      expect(existsSync(join(imageDir(dir.path, shaA), 'preview.webp'))).toBe(true);
      const read = await readCachedImage(dir.path, testImageKey, shaA, 'original');
      expect(read.ok && read.bytes.equals(photo)).toBe(true);
    } finally {
      db.close();
    }
  });

  it('finishes an interrupted move at the next start, then records the layout and never scans again', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const sealed = encryptBuffer(testImageKey, Buffer.from('photograph bytes'));
    const shaA = 'c'.repeat(64);
    const shaB = 'd'.repeat(64);
    plantLegacy(dir.path, shaB, sealed);
    // Half done: A already moved (the crash came before B and before the layout was recorded).
    mkdirSync(join(dir.path, 'images', 'originals'), { recursive: true });
    writeFileSync(originalPath(dir.path, shaA), sealed);
    const { db } = openCache(dir.path, TEST_CACHE_KEY, now);
    try {
      expect(moveLegacyOriginals(db, dir.path)).toBe(1);
      expect(readdirSync(join(dir.path, 'images', 'originals')).sort()).toEqual([shaA, shaB]);
      // Recorded: a legacy file appearing later (it cannot, but a restored backup could) is left alone.
      plantLegacy(dir.path, 'e'.repeat(64), sealed);
      expect(moveLegacyOriginals(db, dir.path)).toBe(0);
    } finally {
      db.close();
    }
  });

  it('leaves names that are not images alone and does nothing in a new cache', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    mkdirSync(join(dir.path, 'images', 'zz', 'not-a-sha'), { recursive: true });
    writeFileSync(join(dir.path, 'images', 'zz', 'not-a-sha', 'original'), 'x');
    const { db } = openCache(dir.path, TEST_CACHE_KEY, now);
    try {
      expect(moveLegacyOriginals(db, dir.path)).toBe(0);
      expect(existsSync(join(dir.path, 'images', 'zz', 'not-a-sha', 'original'))).toBe(true);
    } finally {
      db.close();
    }
  });
});
