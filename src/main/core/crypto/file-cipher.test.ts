import { randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { readEncryptedFile, writeEncryptedFile } from './encrypted-files';
import {
  ChunkEncryptor,
  decryptBuffer,
  encryptBuffer,
  FileCipherError,
  HEADER_SIZE,
  imageKeyFromCacheKey,
  newHeader,
  parseHeader,
  resumeAt,
  TAG_SIZE,
} from './file-cipher';

const key = imageKeyFromCacheKey('11'.repeat(32));
const small = 1024; // a small chunk size keeps the multi-chunk cases fast to write
const temps: Array<() => void> = [];
afterEach(() => temps.splice(0).forEach((remove) => remove()));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof FileCipherError ? error.code : `other: ${String(error)}`;
  }
  return 'no error';
}

describe('file cipher (AES-256-GCM, chunked)', () => {
  it.each([0, 1, small - 1, small, small + 1, 3 * small, 3 * small + 7])('round-trips %i bytes', (n) => {
    const plain = randomBytes(n);
    const sealed = encryptBuffer(key, plain, small);
    expect(sealed.length).toBe(HEADER_SIZE + Math.max(1, Math.ceil(n / small)) * TAG_SIZE + n);
    expect(decryptBuffer(key, sealed).equals(plain)).toBe(true);
  });

  it('never writes the plaintext: the same bytes encrypt differently each time and contain no run of the input', () => {
    const plain = Buffer.from('Hopkinson 943 476 5919 '.repeat(200));
    const a = encryptBuffer(key, plain);
    const b = encryptBuffer(key, plain);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('Hopkinson'))).toBe(false);
    expect(a.includes(Buffer.from('943 476'))).toBe(false);
  });

  it('refuses a file cut at any chunk boundary or inside a chunk (no shorter image is ever read)', () => {
    const sealed = encryptBuffer(key, randomBytes(3 * small + 100), small);
    const stride = small + TAG_SIZE;
    for (const cut of [
      HEADER_SIZE,
      HEADER_SIZE + stride,
      HEADER_SIZE + 2 * stride,
      HEADER_SIZE + 3 * stride,
      sealed.length - 1,
      10,
    ]) {
      expect(['truncated', 'tampered', 'not-encrypted']).toContain(
        codeOf(() => decryptBuffer(key, sealed.subarray(0, cut))),
      );
    }
    // A whole-chunk cut is the dangerous one (it looks like a valid shorter file): it must be "tampered".
    expect(codeOf(() => decryptBuffer(key, sealed.subarray(0, HEADER_SIZE + 2 * stride)))).toBe('tampered');
  });

  it('detects a flipped bit, swapped chunks, a changed header and another key', () => {
    const plain = randomBytes(3 * small);
    const sealed = encryptBuffer(key, plain, small);
    const flipped = Buffer.from(sealed);
    flipped.writeUInt8(flipped.readUInt8(HEADER_SIZE + small + 40) ^ 1, HEADER_SIZE + small + 40);
    expect(codeOf(() => decryptBuffer(key, flipped))).toBe('tampered');

    const stride = small + TAG_SIZE;
    const swapped = Buffer.concat([
      sealed.subarray(0, HEADER_SIZE),
      sealed.subarray(HEADER_SIZE + stride, HEADER_SIZE + 2 * stride),
      sealed.subarray(HEADER_SIZE, HEADER_SIZE + stride),
      sealed.subarray(HEADER_SIZE + 2 * stride),
    ]);
    expect(codeOf(() => decryptBuffer(key, swapped))).toBe('tampered');

    const header = Buffer.from(sealed);
    header.writeUInt8(header.readUInt8(12) ^ 0xff, 12); // the salt: another file key
    expect(codeOf(() => decryptBuffer(key, header))).toBe('tampered');

    expect(codeOf(() => decryptBuffer(imageKeyFromCacheKey('22'.repeat(32)), sealed))).toBe('tampered');
  });

  it('says "not encrypted" for a plaintext JPEG, an empty file and an absurd chunk size', () => {
    expect(codeOf(() => decryptBuffer(key, Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...randomBytes(60)])))).toBe(
      'not-encrypted',
    );
    expect(codeOf(() => decryptBuffer(key, Buffer.alloc(0)))).toBe('not-encrypted');
    const bad = encryptBuffer(key, randomBytes(10));
    bad.writeUInt32BE(0xffffffff, 4);
    expect(codeOf(() => decryptBuffer(key, bad))).toBe('tampered');
  });

  it('encrypts a stream piece by piece as it arrives, to the same file layout, resumable mid-chunk', () => {
    for (const length of [0, 1, small - 1, small, 3 * small, 5 * small + 333]) {
      const plain = randomBytes(length);
      const header = newHeader(small);
      const enc = new ChunkEncryptor(parseHeader(key, header), 0, length);
      const parts: Buffer[] = [header];
      for (let at = 0; at < plain.length;) {
        const n = 1 + ((at * 7919) % (2 * small));
        const piece = plain.subarray(at, at + n);
        const out = enc.push(piece);
        // Streaming: nothing is held back, every byte pushed comes out (plus tags at chunk ends).
        expect(out.reduce((sum, b) => sum + b.length, 0)).toBeGreaterThanOrEqual(piece.length);
        parts.push(...out);
        at += n;
      }
      parts.push(...enc.finish());
      const whole = Buffer.concat(parts);
      expect(whole.length).toBe(HEADER_SIZE + Math.max(1, Math.ceil(length / small)) * TAG_SIZE + length);
      expect(decryptBuffer(key, whole).equals(plain)).toBe(true);
    }
    // Cut in the middle of chunk 3 (its bytes on disk, its tag not): resume keeps 3 whole chunks.
    const plain = randomBytes(5 * small + 333);
    const header = newHeader(small);
    const enc = new ChunkEncryptor(parseHeader(key, header), 0, plain.length);
    const cutPlain = 3 * small + 500;
    const cut = Buffer.concat([header, ...enc.push(plain.subarray(0, cutPlain))]);
    const at = resumeAt(cut.length, small);
    expect(at.chunks).toBe(3);
    const again = new ChunkEncryptor(parseHeader(key, cut), at.chunks, plain.length);
    const resumed = Buffer.concat([
      cut.subarray(0, at.keepBytes),
      ...again.push(plain.subarray(at.plainBytes)),
      ...again.finish(),
    ]);
    expect(decryptBuffer(key, resumed).equals(plain)).toBe(true);
    // More than declared, or finishing short of it, is refused rather than sealed as a shorter file.
    expect(() => new ChunkEncryptor(parseHeader(key, header), 0, 10).push(Buffer.alloc(11))).toThrow(/more data/);
    const short = new ChunkEncryptor(parseHeader(key, header), 0, 10);
    short.push(Buffer.alloc(9));
    expect(() => short.finish()).toThrow(/before the declared length/);
  });

  it('writes files atomically and reads them back; a planted plaintext file is refused', async () => {
    const dir = makeTempDir();
    temps.push(dir.remove);
    const plain = randomBytes(200_000);
    const path = join(dir.path, 'a', 'b', 'original');
    await writeEncryptedFile(key, path, plain);
    expect((await readEncryptedFile(key, path)).equals(plain)).toBe(true);
    expect(readdirSync(join(dir.path, 'a', 'b'))).toEqual(['original']);
    writeFileSync(path, Buffer.from('<svg onload="alert(1)"></svg>'));
    await expect(readEncryptedFile(key, path)).rejects.toMatchObject({ code: 'not-encrypted' });
  });
});
