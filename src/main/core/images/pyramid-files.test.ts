import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testImageKey as key } from '../../../../tests/support/cache-key';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { readEncryptedFile } from '../crypto/encrypted-files';
import { writePyramid, zipEntries } from './pyramid-files';

let dir: { path: string; remove: () => void };
beforeEach(() => {
  dir = makeTempDir('dermdesk-pyramid-');
});
afterEach(() => dir.remove());

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('pyramid zip', () => {
  it('reads stored and deflated entries as written, and writes only tiles, each encrypted', async () => {
    const zip = zipSync({
      'img_files/0/0_0.jpg': [bytes('level zero'), { level: 0 }],
      'img_files/1/1_0.jpg': [bytes('deflated '.repeat(50)), { level: 6 }],
      'img.dzi': [bytes('<Image/>'), { level: 0 }],
      'img_files/../../escape.jpg': [bytes('no'), { level: 0 }],
    });
    expect([...zipEntries(zip)].map((e) => e.name)).toEqual([
      'img_files/0/0_0.jpg',
      'img_files/1/1_0.jpg',
      'img.dzi',
      'img_files/../../escape.jpg',
    ]);
    expect(writePyramid(key, zip, join(dir.path, 'tiles'), 'jpg')).toBe(2);
    expect(readdirSync(dir.path, { recursive: true }).map(String).sort()).toEqual([
      'tiles',
      join('tiles', '0'),
      join('tiles', '0', '0_0.jpg'),
      join('tiles', '1'),
      join('tiles', '1', '1_0.jpg'),
    ]);
    const deflated = await readEncryptedFile(key, join(dir.path, 'tiles', '1', '1_0.jpg'));
    expect(deflated.toString()).toBe('deflated '.repeat(50));
  });

  it('refuses a truncated or garbled zip with a specific error instead of writing part of it', () => {
    const zip = zipSync({ 'img_files/0/0_0.jpg': [bytes('tile'), { level: 0 }] });
    expect(() => [...zipEntries(zip.subarray(0, zip.length - 30))]).toThrow(/pyramid zip/);
    const garbled = new Uint8Array(zip);
    garbled.fill(0, 0, 4); // the local header's signature
    expect(() => writePyramid(key, garbled, join(dir.path, 'tiles'), 'jpg')).toThrow(/pyramid zip: bad entry/);
    expect(() => [...zipEntries(new Uint8Array(10))]).toThrow(/pyramid zip/);
  });
});
