import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { imageKeyFromCacheKey } from '../crypto/file-cipher';
import { originalPath } from '../images/image-paths';
import { placeOriginal } from '../images/place-original';
import { openCache } from './open-cache';
import { openDatabase } from './open-database';

const now = new Date('2026-11-23T10:00:00.000Z');

describe('openCache', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => dir.remove());

  it('opens an existing cache with its key', () => {
    const key = 'aa'.repeat(32);
    const first = openCache(dir.path, key, now);
    first.db.prepare("INSERT INTO kv (key, value) VALUES ('k', 'v')").run();
    first.db.close();
    const again = openCache(dir.path, key, now);
    expect(again.movedAside).toBeNull();
    expect(again.db.prepare("SELECT value FROM kv WHERE key = 'k'").get()).toEqual({ value: 'v' });
    again.db.close();
  });

  it('after the key is lost, moves the old cache aside untouched and starts a fresh one', () => {
    const oldKey = 'aa'.repeat(32);
    const first = openCache(dir.path, oldKey, now);
    first.db.prepare("INSERT INTO kv (key, value) VALUES ('signed-offline', 'decision')").run();
    first.db.pragma('wal_checkpoint(TRUNCATE)');
    first.db.close();
    const before = readFileSync(join(dir.path, 'cache.sqlite'));
    // An image encrypted with the old key (its derived image key): unreadable with the new one.
    const sha = placeOriginal(dir.path, imageKeyFromCacheKey(oldKey), Buffer.from('jpeg bytes of the old cache'));

    const recovered = openCache(dir.path, 'bb'.repeat(32), now);
    expect(recovered.movedAside).toMatch(/unreadable/);
    // The fresh cache holds one fact: when and where the old one was set aside (the consultant is told).
    expect(recovered.db.prepare('SELECT key, value FROM kv').all()).toEqual([
      { key: 'cache.moved-aside', value: JSON.stringify({ at: now.toISOString(), path: recovered.movedAside }) },
    ]);
    recovered.db.close();

    // The image store went with the database: nothing under images/ now looks cached but cannot
    // be decrypted, so sync fetches every image again under the new key.
    expect(existsSync(join(dir.path, 'images'))).toBe(false);
    expect(existsSync(originalPath(recovered.movedAside!, sha))).toBe(true);

    const moved = join(recovered.movedAside!, 'cache.sqlite');
    expect(readFileSync(moved).equals(before)).toBe(true);
    const withOldKey = openDatabase(moved, { key: oldKey });
    expect(withOldKey.prepare("SELECT value FROM kv WHERE key = 'signed-offline'").get()).toEqual({
      value: 'decision',
    });
    withOldKey.close();
  });
});
