import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exifOrientationFixtures, dermoscopyFixtures } from '../../../../tests/support/fixtures';
import { makeTempDir } from '../../../../tests/support/temp-dir';
import { deriveImage, DeriveError, maxLevelFor, MAX_INPUT_PIXELS, PREVIEW_MAX, TILE_SIZE } from './derive-image';
import { DerivativeQueue, type DerivativeStatus } from './derivative-queue';
import { inProcessDeriver } from './derivers';
import { imageDir, originalPath, resolveImageFile, TILE_PACK_NAME } from './image-paths';
import { readCachedImage } from './image-reader';
import { placeOriginal } from './place-original';
import { testImageKey as key } from '../../../../tests/support/cache-key';

let dir: { path: string; remove: () => void };
beforeEach(() => {
  dir = makeTempDir('dermdesk-derive-');
});
afterEach(() => dir.remove());

/** Greyscale 24x24 thumbnail as raw bytes: enough to tell an upright pattern from a mirrored one. */
async function signature(
  input: string | Buffer,
  transform?: (s: ReturnType<typeof sharp>) => ReturnType<typeof sharp>,
): Promise<Buffer> {
  let s = sharp(input);
  if (transform) s = transform(s);
  const flat = await s.toBuffer();
  return sharp(flat).resize(24, 24, { fit: 'fill' }).greyscale().raw().toBuffer();
}

/** A derived or original file, decrypted through the same reader the image servers use. */
async function variant(sha: string, name: string): Promise<Buffer> {
  const read = await readCachedImage(dir.path, key, sha, name);
  if (!read.ok) throw new Error(`${name}: ${read.message}`);
  return read.bytes;
}

function meanDiff(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

async function derive(bytes: Buffer): Promise<{ sha: string; result: Promise<unknown> }> {
  const sha = placeOriginal(dir.path, key, bytes);
  return { sha, result: deriveImage(dir.path, key, sha) };
}

describe('deriveImage: EXIF orientation', () => {
  const fixtures = exifOrientationFixtures();

  it('has all 16 fixtures', () => {
    expect(fixtures).toHaveLength(16);
  });

  for (const fixture of fixtures) {
    it(`${fixture.shape}_${fixture.orientation} derives upright (preview and full-resolution tiles), original untouched`, async () => {
      const bytes = readFileSync(fixture.file);
      const sha = placeOriginal(dir.path, key, bytes);
      const meta = await deriveImage(dir.path, key, sha);
      // Orientation 1 has no transform: decoding it is the ground truth "upright" picture.
      const upright = join(dir.path, 'upright.png');
      await sharp(fixture.file.replace(/_\d\.jpg$/, '_1.jpg'))
        .png()
        .toFile(upright);
      const expected = await signature(upright);
      const mirrored = await signature(upright, (s) => s.flop());
      const preview = await signature(await variant(sha, 'preview'));
      expect(meanDiff(preview, expected)).toBeLessThan(8);
      expect(meanDiff(preview, mirrored)).toBeGreaterThan(3 * meanDiff(preview, expected) + 10);
      const up = await sharp(upright).metadata();
      expect([meta.width, meta.height]).toEqual([up.width, up.height]);
      // The original is kept byte for byte (it stays the evidence of what was referred).
      expect((await variant(sha, 'original')).equals(bytes)).toBe(true);
    });
  }
});

describe('deriveImage: pyramid', () => {
  it('tiles cover the oriented image exactly at every level, with a 1 px overlap', async () => {
    // 1000 x 700 is not a multiple of 256, so edge tiles are partial.
    const png = await sharp({ create: { width: 1000, height: 700, channels: 3, background: '#336699' } })
      .png()
      .toBuffer();
    const sha = placeOriginal(dir.path, key, png);
    const meta = await deriveImage(dir.path, key, sha);
    expect(meta.maxLevel).toBe(maxLevelFor(1000, 700));
    expect(meta.maxLevel).toBe(10);
    for (let level = 0; level <= meta.maxLevel; level++) {
      const scale = 2 ** (meta.maxLevel - level);
      const w = Math.ceil(1000 / scale);
      const h = Math.ceil(700 / scale);
      const cols = Math.ceil(w / TILE_SIZE);
      const rows = Math.ceil(h / TILE_SIZE);
      // Every tile of the level is in the pack, and none past its edge.
      for (let y = 0; y < rows; y++)
        expect((await readCachedImage(dir.path, key, sha, `tile-${level}-0-${y}`)).ok).toBe(true);
      expect(await readCachedImage(dir.path, key, sha, `tile-${level}-${cols}-0`)).toMatchObject({
        ok: false,
        status: 404,
      });
      expect(await readCachedImage(dir.path, key, sha, `tile-${level}-0-${rows}`)).toMatchObject({
        ok: false,
        status: 404,
      });
      let covered = 0;
      for (let x = 0; x < cols; x++) {
        const tw = Math.min(TILE_SIZE, w - x * TILE_SIZE);
        const m = await sharp(await variant(sha, `tile-${level}-${x}-0`)).metadata();
        const overlap = (x > 0 ? 1 : 0) + (x < cols - 1 ? 1 : 0);
        expect(m.width).toBe(tw + overlap);
        covered += tw;
      }
      expect(covered).toBe(w);
    }
    const preview = await sharp(await variant(sha, 'preview')).metadata();
    expect([preview.width, preview.height]).toEqual([1000, 700]);
  });

  it('previews of large images are at most 2048 px and the thumbnail small', async () => {
    const sha = placeOriginal(
      dir.path,
      key,
      await sharp({ create: { width: 5000, height: 3000, channels: 3, background: '#884422' } })
        .jpeg()
        .toBuffer(),
    );
    const meta = await deriveImage(dir.path, key, sha);
    expect(meta.preview).toEqual({ width: PREVIEW_MAX, height: Math.round((3000 * PREVIEW_MAX) / 5000) });
    const thumb = await sharp(await variant(sha, 'thumb')).metadata();
    expect(Math.max(thumb.width, thumb.height)).toBeLessThanOrEqual(320);
  });
});

describe('deriveImage: formats', () => {
  it('writes JPEG derivatives, and a transparent PNG is flattened on white (JPEG has no alpha)', async () => {
    // Transparent all over except a red square in the middle: without flattening, JPEG shows black.
    const png = await sharp({
      create: { width: 600, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .composite([
        {
          input: await sharp({ create: { width: 200, height: 200, channels: 4, background: '#ff0000ff' } })
            .png()
            .toBuffer(),
          left: 200,
          top: 100,
        },
      ])
      .png()
      .toBuffer();
    const sha = placeOriginal(dir.path, key, png);
    await deriveImage(dir.path, key, sha);
    for (const name of ['preview', 'thumb', 'tile-9-0-0']) {
      const bytes = await variant(sha, name);
      expect((await sharp(bytes).metadata()).format, name).toBe('jpeg');
      const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      expect([...data.subarray(0, 3)], `${name} corner`).toEqual([255, 255, 255]);
      const mid = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
      expect(data[mid] ?? 0, `${name} centre`).toBeGreaterThan(200);
      expect(data[mid + 1] ?? 255, `${name} centre`).toBeLessThan(60);
    }
    // One pack holds the whole pyramid: no file per tile.
    expect(readdirSync(join(imageDir(dir.path, sha), 'tiles'))).toEqual([TILE_PACK_NAME]);
  });

  it('still serves WebP derivatives and per-tile files made before, and re-deriving replaces them', async () => {
    const bytes = readFileSync(dermoscopyFixtures()[0] ?? '');
    const sha = placeOriginal(dir.path, key, bytes);
    await deriveImage(dir.path, key, sha);
    const folder = imageDir(dir.path, sha);
    // Rewrite this image's derivatives as an older version left them: WebP files, .webp names.
    const webp = await sharp(bytes).resize(64).webp().toBuffer();
    const { writeEncryptedFile } = await import('../crypto/encrypted-files');
    await writeEncryptedFile(key, join(folder, 'preview.webp'), webp);
    await writeEncryptedFile(key, join(folder, 'tiles', '0', '0_0.webp'), webp);
    const { rmSync } = await import('node:fs');
    rmSync(join(folder, 'preview.jpg'));
    rmSync(join(folder, 'tiles', TILE_PACK_NAME));
    expect(await readCachedImage(dir.path, key, sha, 'preview')).toMatchObject({ ok: true, mediaType: 'image/webp' });
    expect(await readCachedImage(dir.path, key, sha, 'tile-0-0-0')).toMatchObject({
      ok: true,
      mediaType: 'image/webp',
    });
    await deriveImage(dir.path, key, sha);
    expect(existsSync(join(folder, 'preview.webp'))).toBe(false);
    expect(existsSync(join(folder, 'tiles', '0', '0_0.webp'))).toBe(false);
    expect(await readCachedImage(dir.path, key, sha, 'tile-0-0-0')).toMatchObject({
      ok: true,
      mediaType: 'image/jpeg',
    });
    expect(await readCachedImage(dir.path, key, sha, 'preview')).toMatchObject({ ok: true, mediaType: 'image/jpeg' });
  });
});

describe('deriveImage: encrypted at rest', () => {
  /** Every file under the image's folder, recursively. */
  function filesUnder(path: string): string[] {
    return readdirSync(path, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  }

  it('writes no decodable image anywhere: original, preview, thumbnail and every tile are ciphertext', async () => {
    const bytes = readFileSync(dermoscopyFixtures()[0] ?? '');
    const sha = placeOriginal(dir.path, key, bytes);
    await deriveImage(dir.path, key, sha);
    const files = [originalPath(dir.path, sha), ...filesUnder(imageDir(dir.path, sha))].filter(
      (f) => !f.endsWith('meta.json'),
    );
    expect(files).toHaveLength(4); // original, preview, thumbnail and the pyramid's pack
    // The pack holds every tile end to end: no tile's plaintext JPEG header appears anywhere in it.
    const tileHead = (await variant(sha, 'tile-0-0-0')).subarray(0, 16);
    expect(readFileSync(join(imageDir(dir.path, sha), 'tiles', TILE_PACK_NAME)).includes(tileHead)).toBe(false);
    const jpegSoi = Buffer.from([0xff, 0xd8, 0xff]);
    for (const file of files) {
      const head = readFileSync(file).subarray(0, 16);
      expect(head.subarray(0, 4).toString('ascii'), file).toBe('DDE1');
      expect(head.includes(jpegSoi) || head.includes(Buffer.from('RIFF')) || head.includes(Buffer.from('WEBP'))).toBe(
        false,
      );
      await expect(sharp(file).metadata(), file).rejects.toThrow();
    }
    // And no scratch folder is left behind (it would be the one place plaintext could hide).
    expect(readdirSync(imageDir(dir.path, sha)).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('refuses an original altered on disk (one bit) or planted in plaintext, naming the integrity check', async () => {
    const bytes = readFileSync(dermoscopyFixtures()[1] ?? '');
    const sha = placeOriginal(dir.path, key, bytes);
    const path = originalPath(dir.path, sha);
    const sealed = readFileSync(path);
    sealed.writeUInt8(sealed.readUInt8(5000) ^ 1, 5000);
    writeFileSync(path, sealed);
    await expect(deriveImage(dir.path, key, sha)).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringMatching(/integrity check/),
    });
    writeFileSync(path, bytes); // a plaintext JPEG put there by something other than the store
    await expect(deriveImage(dir.path, key, sha)).rejects.toMatchObject({ code: 'corrupt' });
    expect((await readCachedImage(dir.path, key, sha, 'original')).ok).toBe(false);
  });

  it("cannot be read with another workstation's key", async () => {
    const sha = placeOriginal(dir.path, key, readFileSync(dermoscopyFixtures()[2] ?? ''));
    await deriveImage(dir.path, key, sha);
    const other = Buffer.alloc(32, 7);
    expect(await readCachedImage(dir.path, other, sha, 'preview')).toMatchObject({ ok: false, status: 500 });
    expect(await readCachedImage(dir.path, key, sha, 'preview')).toMatchObject({ ok: true, mediaType: 'image/jpeg' });
  });
});

describe('deriveImage: hostile and broken input', () => {
  async function refusal(bytes: Buffer): Promise<DeriveError> {
    const { sha, result } = await derive(bytes);
    const error = await result.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeriveError);
    // The failure is recorded for that image alone, and nothing half-built is served.
    expect(existsSync(join(imageDir(dir.path, sha), 'error.json'))).toBe(true);
    expect(existsSync(join(imageDir(dir.path, sha), 'meta.json'))).toBe(false);
    expect(resolveImageFile(dir.path, sha, 'preview').ok).toBe(false);
    return error as DeriveError;
  }

  it('refuses a zero-byte file as empty', async () => {
    const e = await refusal(Buffer.alloc(0));
    expect(e.code).toBe('refused-format');
    expect(e.message).toMatch(/empty/);
  });

  it('refuses an SVG renamed .jpg without decoding it', async () => {
    const e = await refusal(
      Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    );
    expect(e.code).toBe('refused-format');
    expect(e.message).toMatch(/SVG/);
  });

  it('refuses an HTML page', async () => {
    const e = await refusal(Buffer.from('<!DOCTYPE html><html><body>hi</body></html>'));
    expect(e.message).toMatch(/web page/);
  });

  it('refuses HEIC with a message naming the format', async () => {
    const heicHead = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(64)]);
    const e = await refusal(heicHead);
    expect(e.message).toMatch(/HEIC/);
  });

  it('reports a truncated JPEG as incomplete', async () => {
    const full = readFileSync(dermoscopyFixtures()[0] ?? '');
    const e = await refusal(full.subarray(0, Math.floor(full.length / 2)));
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/incomplete|damaged/);
  });

  it('reports a PNG whose compressed pixel data is scrambled as damaged', async () => {
    const png = await sharp(readFileSync(dermoscopyFixtures()[0] ?? ''))
      .resize(300, 200)
      .png()
      .toBuffer();
    const idat = png.indexOf('IDAT');
    const broken = Buffer.from(png);
    for (let i = idat + 40; i < idat + 400 && i < broken.length - 20; i++) broken[i] = (broken[i] ?? 0) ^ 0x5a;
    const e = await refusal(broken);
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/damaged|incomplete/);
  });

  it('refuses a 200-megapixel PNG bomb from its header, with bounded memory', async () => {
    // 20000 x 10000 of one colour compresses to a few hundred KB; decoding it would need 600 MB.
    const bomb = await sharp({ create: { width: 20000, height: 10000, channels: 3, background: '#000' } })
      .png({ compressionLevel: 9 })
      .toBuffer();
    expect(20000 * 10000).toBeGreaterThan(MAX_INPUT_PIXELS);
    const before = process.memoryUsage().rss;
    const e = await refusal(bomb);
    const grown = process.memoryUsage().rss - before;
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/200 megapixels/);
    expect(grown).toBeLessThan(200 * 1024 * 1024);
  });

  it('one broken image does not stop the queue deriving the others', async () => {
    const seen: DerivativeStatus[] = [];
    const queue = new DerivativeQueue(dir.path, inProcessDeriver(dir.path, key), (s) => seen.push(s));
    const bad = placeOriginal(dir.path, key, Buffer.from('not an image at all'));
    const good = placeOriginal(dir.path, key, readFileSync(dermoscopyFixtures()[1] ?? ''));
    queue.enqueue(bad);
    queue.enqueue(good);
    await queue.idle();
    expect(queue.status(bad)).toMatchObject({ state: 'failed', message: expect.stringMatching(/not a JPEG/) });
    expect(queue.status(good)).toMatchObject({ state: 'ready', progress: 1 });
    // Progress was reported while working, then the final state.
    expect(seen.filter((s) => s.sha256 === good && s.state === 'working').length).toBeGreaterThan(1);
    expect(seen.at(-1)).toMatchObject({ sha256: good, state: 'ready' });
    // Derived once: enqueueing a ready image again does nothing.
    const before = seen.length;
    queue.enqueue(good);
    expect(seen.length).toBe(before);
  });
});
