import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { dermoscopyFixtures, exifOrientationFixtures } from '../../../tests/support/fixtures';
import {
  CORRUPT_MESSAGE,
  imageQuality,
  inspectImage,
  sharpnessAndExposure,
  sniffMediaType,
  TRUNCATED_MESSAGE,
} from './image-checks';
import { refusedFormatMessage, sniffFormat } from './image-format';

const real = () => readFileSync(dermoscopyFixtures()[1]!);

describe('image checks at upload', () => {
  it('passes the real dermoscopy fixtures as sharp and well lit', async () => {
    for (const file of dermoscopyFixtures()) {
      const report = await imageQuality(readFileSync(file));
      expect('error' in report ? report.error : report.issues).toEqual([]);
    }
  });

  it('asks for a retake of a blurred image', async () => {
    const blurred = await sharp(real()).blur(4).jpeg().toBuffer();
    const report = await imageQuality(blurred);
    if ('error' in report) throw new Error(report.error);
    expect(report.ok).toBe(false);
    expect(report.issues.map((i) => i.issue)).toEqual(['blur']);
  });

  it('asks for a retake of a dark image and of a washed-out one', async () => {
    const dark = await sharp(real()).linear(0.15, 0).jpeg().toBuffer();
    const bright = await sharp(real()).linear(0.3, 200).jpeg().toBuffer();
    const d = await imageQuality(dark);
    const b = await imageQuality(bright);
    if ('error' in d || 'error' in b) throw new Error('unexpected error');
    expect(d.issues.map((i) => i.issue)).toEqual(['too-dark']);
    expect(b.issues.map((i) => i.issue)).toContain('too-bright');
  });

  it('reports a too-small image as a resolution problem, not an error', async () => {
    const small = await sharp(real()).resize(320, 240).jpeg().toBuffer();
    const report = await imageQuality(small);
    if ('error' in report) throw new Error(report.error);
    expect(report.issues.map((i) => i.issue)).toContain('resolution');
  });

  it('measures size after EXIF orientation (a rotated portrait stays portrait)', async () => {
    for (const f of exifOrientationFixtures().filter((x) => x.shape === 'Portrait')) {
      const r = await inspectImage(readFileSync(f.file));
      if (!r.ok) throw new Error(r.message);
      expect(r.image.height).toBeGreaterThan(r.image.width);
    }
  });

  it('refuses empty, truncated, corrupt, non-image and mislabelled bytes, naming the real reason', async () => {
    expect(await inspectImage(Buffer.alloc(0))).toEqual({
      ok: false,
      message: 'the image is empty (0 bytes): attach the photograph again',
    });
    expect(await inspectImage(real().subarray(0, 3000))).toEqual({ ok: false, message: TRUNCATED_MESSAGE });
    // Full length, end marker intact, scan data scrambled: corrupt, not "truncated".
    const scrambled = Buffer.from(real());
    const sos = scrambled.indexOf(Buffer.from([0xff, 0xda]));
    for (let i = sos + 200; i < scrambled.length - 2; i++) scrambled[i] = ((scrambled[i] ?? 0) * 31 + 7) & 0xff;
    expect(await inspectImage(scrambled)).toEqual({ ok: false, message: CORRUPT_MESSAGE });
    expect(await inspectImage(Buffer.from('GIF89a....'))).toEqual({
      ok: false,
      message: 'this is a GIF image (image/gif): the clinic accepts photographs as JPEG, PNG or WebP',
    });
    const mislabelled = await inspectImage(real(), 'image/png');
    expect(mislabelled).toEqual({ ok: false, message: 'declared image/png but the bytes are image/jpeg' });
    expect(await imageQuality(Buffer.from('<html>'))).toEqual({
      error: 'this is a web page (text/html), not a photograph: the clinic accepts photographs as JPEG, PNG or WebP',
    });
  });

  it('tells a cut-off PNG and WebP from a damaged PNG (made from a real photograph with sharp)', async () => {
    for (const format of ['png', 'webp'] as const) {
      const whole = await sharp(real())[format]().toBuffer();
      const cut = await inspectImage(whole.subarray(0, Math.floor(whole.length * 0.6)));
      expect(cut, format).toEqual({ ok: false, message: TRUNCATED_MESSAGE });
      // A damaged PNG fails its chunk checksums. (VP8 has no checksum: libwebp decodes scrambled
      // WebP data to wrong pixels without an error, so there is no "damaged WebP" to detect.)
      if (format === 'webp') continue;
      const damaged = Buffer.from(whole);
      for (let i = 200; i < damaged.length - 16; i += 7) damaged[i] = (damaged[i]! ^ 0x5a) & 0xff;
      expect(await inspectImage(damaged), format).toEqual({ ok: false, message: CORRUPT_MESSAGE });
    }
  });

  it('names every format a browser may send, from its bytes (made with sharp where sharp can write it)', async () => {
    const photo = real();
    expect(sniffFormat(await sharp(photo).gif().toBuffer())).toMatchObject({ accepted: false, kind: 'gif' });
    expect(sniffFormat(await sharp(photo).tiff().toBuffer())).toMatchObject({ accepted: false, kind: 'tiff' });
    expect(sniffFormat(await sharp(photo).avif({ effort: 0 }).toBuffer())).toMatchObject({ kind: 'avif' });
    const ftyp = (brand: string) =>
      Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from(`ftyp${brand}`), Buffer.alloc(16)]);
    expect(sniffFormat(ftyp('heic'))).toMatchObject({ kind: 'heic', mediaType: 'image/heic' });
    expect(sniffFormat(ftyp('mif1'))).toMatchObject({ kind: 'heic', mediaType: 'image/heif' });
    expect(sniffFormat(Buffer.from('\uFEFF  <svg xmlns="http://www.w3.org/2000/svg"/>'))).toMatchObject({
      kind: 'svg',
    });
    expect(sniffFormat(Buffer.from('%PDF-1.7'))).toMatchObject({ kind: 'pdf' });
    expect(sniffFormat(Buffer.from('hello'))).toMatchObject({ kind: 'unknown' });
    expect(sniffFormat(photo)).toEqual({ accepted: true, mediaType: 'image/jpeg' });
    expect(refusedFormatMessage('heic')).toMatch(/HEIC.*JPEG, PNG or WebP.*Most Compatible/);
  });

  it('refuses a decompression bomb by its pixel count', async () => {
    // 10000 x 10000 PNG of one colour: tiny file, 100 MP decoded.
    const bomb = await sharp({ create: { width: 10000, height: 10000, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    expect(bomb.length).toBeLessThan(1_000_000);
    expect(await inspectImage(bomb)).toEqual({ ok: false, message: 'the image has too many pixels' });
  });

  it('sniffs formats from magic bytes only', () => {
    expect(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffMediaType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffMediaType(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
  });

  it('computes Laplacian variance and luminance on known pixels', () => {
    const flat = new Uint8Array(9).fill(100);
    expect(sharpnessAndExposure(flat, 3, 3)).toMatchObject({ sharpness: 0, meanLuminance: 100 });
    // One bright centre pixel on a dark 3x3: the single Laplacian is -4 * 255 → variance 0 (one sample), mean lum 255/9.
    const dot = new Uint8Array(9);
    dot[4] = 255;
    expect(sharpnessAndExposure(dot, 3, 3).meanLuminance).toBeCloseTo(255 / 9);
    // A 4x3 edge gives two Laplacian samples of different value: non-zero variance.
    const edge = new Uint8Array([0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255]);
    expect(sharpnessAndExposure(edge, 4, 3).sharpness).toBeGreaterThan(0);
  });
});
