import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/open-database';
import { fsyncDirSync } from '../../../common/fs/fsync-dir';
import { originalPath, originalsDir } from './image-paths';

/** kv key recording that this cache's originals are in the flat layout (image-paths.ts). */
const LAYOUT_KEY = 'images.originals-layout';
const FLAT = 'flat-1';

/**
 * Caches written before the flat layout kept each original at images/<sha[0:2]>/<sha>/original.
 * Moves them (a rename each, same file system, bytes untouched and still encrypted) to
 * images/originals/<sha> once, at start, before anything reads an image; then records the layout
 * in the cache so later starts skip the scan. Interrupted half way, the next start finishes it:
 * each move is a rename, and an original already moved is simply not found at the old path.
 */
export function moveLegacyOriginals(db: Db, dataDir: string): number {
  const done = db.prepare('SELECT value FROM kv WHERE key = ?').get(LAYOUT_KEY) as { value: string } | undefined;
  if (done?.value === FLAT) return 0;
  const images = join(dataDir, 'images');
  let moved = 0;
  if (existsSync(images)) {
    mkdirSync(originalsDir(dataDir), { recursive: true });
    for (const fanOut of readdirSync(images)) {
      if (!/^[0-9a-f]{2}$/.test(fanOut)) continue;
      for (const sha of readdirSync(join(images, fanOut))) {
        const legacy = join(images, fanOut, sha, 'original');
        if (!/^[0-9a-f]{64}$/.test(sha) || !existsSync(legacy)) continue;
        renameSync(legacy, originalPath(dataDir, sha));
        moved++;
      }
    }
    // The renames are durable before the cache says they happened.
    if (moved > 0) fsyncDirSync(originalsDir(dataDir));
  }
  db.prepare('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    LAYOUT_KEY,
    FLAT,
  );
  return moved;
}
