import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testImageKey as key } from '../../../../tests/support/cache-key';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { zipEntries } from './pyramid-zip';
import { readPackedTile, writeTilePack } from './tile-pack';

let dir: { path: string; remove: () => void };
beforeEach(() => {
  dir = makeTempDir('dermdesk-pyramid-');
});
afterEach(() => dir.remove());

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (b: Buffer | null): string | null => (b ? b.toString() : null);

/** A small Deep Zoom zip as libvips lays it out, plus entries a pack must ignore. */
function pyramidZip(): Uint8Array {
  return zipSync({
    'img_files/0/0_0.jpeg': [bytes('level zero'), { level: 0 }],
    'img_files/1/1_0.jpeg': [bytes('deflated '.repeat(50)), { level: 6 }],
    'img_files/12/3_7.jpeg': [bytes('deep tile'), { level: 0 }],
    'img.dzi': [bytes('<Image/>'), { level: 0 }],
    'img_files/../../escape.jpeg': [bytes('no'), { level: 0 }],
    'img_files/2/0_0.webp': [bytes('not a jpeg tile'), { level: 0 }],
  });
}

describe('pyramid zip', () => {
  it('reads stored and deflated entries as written', () => {
    const entries = [...zipEntries(pyramidZip())];
    expect(entries.map((e) => e.name)).toContain('img_files/1/1_0.jpeg');
    expect(new TextDecoder().decode(entries[1]?.bytes)).toBe('deflated '.repeat(50));
  });

  it('refuses a truncated or garbled zip with a specific error instead of writing part of it', () => {
    const zip = zipSync({ 'img_files/0/0_0.jpeg': [bytes('tile'), { level: 0 }] });
    expect(() => [...zipEntries(zip.subarray(0, zip.length - 30))]).toThrow(/pyramid zip/);
    const garbled = new Uint8Array(zip);
    garbled.fill(0, 0, 4); // the local header's signature
    expect(() => writeTilePack(key, garbled, join(dir.path, 'p.pack'))).toThrow(/pyramid zip: bad entry/);
    expect(() => [...zipEntries(new Uint8Array(10))]).toThrow(/pyramid zip/);
  });
});

describe('tile pack', () => {
  it('holds only the JPEG tiles, each read back by its level and position', async () => {
    const path = join(dir.path, 'p.pack');
    expect(writeTilePack(key, pyramidZip(), path)).toBe(3);
    expect(text(await readPackedTile(key, path, 0, 0, 0))).toBe('level zero');
    expect(text(await readPackedTile(key, path, 1, 1, 0))).toBe('deflated '.repeat(50));
    expect(text(await readPackedTile(key, path, 12, 3, 7))).toBe('deep tile');
    expect(await readPackedTile(key, path, 2, 0, 0)).toBeNull(); // the WebP entry was not packed
    expect(await readPackedTile(key, path, 1, 0, 1)).toBeNull();
    // Encrypted: no tile's plaintext appears in the file.
    expect(readFileSync(path).includes(Buffer.from('level zero'))).toBe(false);
  });

  it('never overwrites an existing pack', () => {
    const path = join(dir.path, 'p.pack');
    writeTilePack(key, pyramidZip(), path);
    expect(() => writeTilePack(key, pyramidZip(), path)).toThrow(/EEXIST/);
  });

  it('refuses a truncated pack, an altered tile, an altered index and another key, naming the integrity problem', async () => {
    const path = join(dir.path, 'p.pack');
    writeTilePack(key, pyramidZip(), path);
    const whole = readFileSync(path);

    await expect(readPackedTile(Buffer.alloc(32, 7), path, 0, 0, 0)).rejects.toMatchObject({ name: 'FileCipherError' });

    const alteredTile = Buffer.from(whole);
    alteredTile[40] = (alteredTile[40] ?? 0) ^ 1; // inside the first tile's ciphertext
    writeFileSync(path, alteredTile);
    await expect(readPackedTile(key, path, 0, 0, 0)).rejects.toMatchObject({ code: 'tampered' });
    expect(text(await readPackedTile(key, path, 12, 3, 7))).toBe('deep tile'); // the others still open

    const alteredIndex = Buffer.from(whole);
    const at = alteredIndex.length - 12 - 20; // inside the index record
    alteredIndex[at] = (alteredIndex[at] ?? 0) ^ 1;
    writeFileSync(path, alteredIndex);
    await expect(readPackedTile(key, path, 0, 0, 0)).rejects.toMatchObject({ code: 'tampered' });

    writeFileSync(path, whole);
    truncateSync(path, whole.length - 5);
    await expect(readPackedTile(key, path, 0, 0, 0)).rejects.toMatchObject({ code: 'truncated' });
    truncateSync(path, 3);
    await expect(readPackedTile(key, path, 0, 0, 0)).rejects.toMatchObject({ code: 'truncated' });
  });

  it('reads the new pack after an image is derived again (the cached index follows the file)', async () => {
    const path = join(dir.path, 'p.pack');
    writeTilePack(key, pyramidZip(), path);
    expect(text(await readPackedTile(key, path, 0, 0, 0))).toBe('level zero');
    rmSync(path);
    writeTilePack(key, zipSync({ 'x_files/0/0_0.jpeg': [bytes('re-derived'), { level: 0 }] }), path);
    expect(text(await readPackedTile(key, path, 0, 0, 0))).toBe('re-derived');
    expect(await readPackedTile(key, path, 12, 3, 7)).toBeNull();
  });
});
