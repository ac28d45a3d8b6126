import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { MAX_INPUT_PIXELS } from '../../../common/images/image-limits';
import { FileCipherError } from '../crypto/file-cipher';
import { readEncryptedFile, writeEncryptedFile } from '../crypto/encrypted-files';
import { imageDir, imageVariants, legacyImageVariants, originalPath, TILE_PACK_NAME } from './image-paths';
import { writeTilePack } from './tile-pack';
import { sniffFormat, sniffMessage } from './sniff-format';

/** Tiles are 256 px with a 1 px overlap on inner edges so neighbouring tiles never show a seam. */
export const TILE_SIZE = 256;
export const TILE_OVERLAP = 1;
export const PREVIEW_MAX = 2048;
export const THUMB_MAX = 320;
/**
 * Every derivative is JPEG, chosen by measurement (docs/BENCHMARKS.md, derivation): libvips
 * encodes a 48 MP pyramid of 256 px JPEG tiles in about 1.4 s of CPU against 3.5 s for WebP at
 * effort 1, the 2048 px preview in about half the time of WebP, and Chromium decodes JPEG tiles
 * faster too. Quality 85 for tiles (viewed at 1:1 and above), 88 for the preview (viewed at fit).
 */
export const TILE_QUALITY = 85;
export const PREVIEW_QUALITY = 88;
export const THUMB_QUALITY = 80;
/** The pixel limit (common/images/image-limits.ts), shared with the letter's key image. */
export { MAX_INPUT_PIXELS };

/** What the viewer needs to address the derived pyramid (stored as meta.json, written last). */
export interface DerivedMeta {
  version: 1;
  format: 'jpeg' | 'png' | 'webp';
  /** Oriented (EXIF applied) size of the full-resolution image. */
  width: number;
  height: number;
  tileSize: number;
  overlap: number;
  /** Deep Zoom numbering: level maxLevel is full resolution, each level below halves it. */
  maxLevel: number;
  preview: { width: number; height: number };
}

export type DeriveErrorCode = 'missing' | 'refused-format' | 'too-large' | 'corrupt';

export class DeriveError extends Error {
  constructor(
    readonly code: DeriveErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeriveError';
  }
}

/**
 * failOn 'warning': libjpeg reports scrambled compressed data only as a warning and decodes it to
 * garbage pixels; a damaged photograph must be refused, never shown as the patient's skin (H13).
 */
const sharpOptions = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning' } as const;

export function maxLevelFor(width: number, height: number): number {
  return Math.ceil(Math.log2(Math.max(width, height, 1)));
}

/**
 * Derives the preview, thumbnail and tile pyramid for one stored original, leaving the original
 * untouched. The original is decrypted in memory and every derivative is encrypted before it is
 * written (no plaintext pixels on disk, not even in scratch files). Everything is written to a
 * scratch folder and moved into place only when complete; meta.json (sizes only, no patient
 * data) goes last, so its presence means "ready". A refused or broken file gets error.json with a
 * message a consultant can act on, and never affects other images.
 */
export async function deriveImage(
  dataDir: string,
  key: Buffer,
  sha256: string,
  onProgress: (fraction: number) => void = () => {},
): Promise<DerivedMeta> {
  const dir = imageDir(dataDir, sha256);
  const original = originalPath(dataDir, sha256);
  const scratch = join(dir, `derive-${process.pid}-${Date.now()}.tmp`);
  try {
    const meta = await deriveInto(await readOriginal(key, original), key, scratch, onProgress);
    await rm(join(dir, 'tiles'), { recursive: true, force: true });
    await rename(join(scratch, 'tiles'), join(dir, 'tiles'));
    await rename(join(scratch, imageVariants.preview), join(dir, imageVariants.preview));
    await rename(join(scratch, imageVariants.thumb), join(dir, imageVariants.thumb));
    await rm(join(dir, legacyImageVariants.preview), { force: true });
    await rm(join(dir, legacyImageVariants.thumb), { force: true });
    await writeFile(join(scratch, 'meta.json'), JSON.stringify(meta));
    await rename(join(scratch, 'meta.json'), join(dir, 'meta.json'));
    await rm(join(dir, 'error.json'), { force: true });
    onProgress(1);
    return meta;
  } catch (error) {
    const failure = error instanceof DeriveError ? error : new DeriveError('corrupt', explainSharpError(error));
    await recordDeriveFailure(dataDir, sha256, failure);
    throw failure;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs the whole pipeline once on a small synthetic photograph (noise, no patient data, a
 * throwaway key, a temporary folder): the derivation worker does this when it starts, so the
 * first real photograph does not pay for loading libvips' codecs, starting its threads and
 * compiling this code (measured: the first 48 MP derivation in a fresh worker took 1.3-1.8x a
 * warm one without it; see docs/BENCHMARKS.md).
 */
export async function warmUpDerivation(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'dermdesk-derive-warm-up-'));
  try {
    const photo = await sharp({
      create: {
        width: 1536,
        height: 1024,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .jpeg({ quality: 88 })
      .toBuffer();
    await deriveInto(photo, randomBytes(32), join(scratch, 'derived'), () => {});
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** error.json: the image's failure, kept so it is shown (and not retried) until the consultant asks again. */
export async function recordDeriveFailure(dataDir: string, sha256: string, failure: DeriveError): Promise<void> {
  const dir = imageDir(dataDir, sha256);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'error.json'), JSON.stringify({ code: failure.code, message: failure.message }));
}

/** Originals above this are refused before decryption (no camera or dermatoscope writes one). */
export const MAX_ORIGINAL_BYTES = 150 * 1024 * 1024;

async function readOriginal(key: Buffer, original: string): Promise<Buffer> {
  if (!existsSync(original)) {
    throw new DeriveError('missing', 'The original image is not in the cache yet. Sync again to fetch it.');
  }
  try {
    return await readEncryptedFile(key, original);
  } catch (error) {
    if (error instanceof FileCipherError) {
      throw new DeriveError(
        'corrupt',
        'The cached copy of this image failed its integrity check and was not shown. Sync again to fetch it.',
      );
    }
    throw error;
  }
}

async function deriveInto(
  original: Buffer,
  key: Buffer,
  scratch: string,
  onProgress: (fraction: number) => void,
): Promise<DerivedMeta> {
  if (original.length > MAX_ORIGINAL_BYTES) {
    throw new DeriveError(
      'too-large',
      `This image file is over ${MAX_ORIGINAL_BYTES / 1024 / 1024} MB and was not opened.`,
    );
  }
  const sniffed = sniffFormat(original.subarray(0, 4096));
  if (!sniffed.ok) throw new DeriveError('refused-format', sniffMessage(sniffed.reason));

  let metadata: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    metadata = await sharp(original, sharpOptions).metadata();
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      // Only the header is read here (no pixels), so naming the size costs nothing.
      const header = await sharp(original, { limitInputPixels: false }).metadata();
      throw tooLarge(header.width ?? 0, header.height ?? 0);
    }
    throw new DeriveError('corrupt', explainSharpError(error));
  }
  if (metadata.format !== sniffed.format)
    throw new DeriveError('corrupt', `This ${sniffed.format.toUpperCase()} file is damaged and cannot be read.`);
  const w = metadata.width ?? 0;
  const h = metadata.height ?? 0;
  if (w * h > MAX_INPUT_PIXELS) throw tooLarge(w, h);
  const width = metadata.autoOrient?.width ?? w;
  const height = metadata.autoOrient?.height ?? h;

  await mkdir(scratch, { recursive: true });
  // The two parts below finish in either order; the bar only moves forward.
  let shown = 0;
  const progress = (fraction: number) => {
    if (fraction > shown) onProgress((shown = fraction));
  };
  progress(0.05);
  // Two decodes, run side by side: the preview's is a 1/4-scale JPEG decode (shrink-on-load),
  // about 0.2 s for 48 MP, cheaper than resizing a full decode held in memory (measured: decoding
  // once to raw pixels and deriving both from them cost 20-25% more CPU, and 144 MB of memory).
  // A PNG or WebP with transparency is flattened on white: JPEG has no alpha.
  const decode = () => {
    const s = sharp(original, sharpOptions).rotate();
    return metadata.hasAlpha ? s.flatten({ background: '#ffffff' }) : s;
  };
  const [preview] = await bothOrThrow(
    (async () => {
      const made = await decode()
        .resize(PREVIEW_MAX, PREVIEW_MAX, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: PREVIEW_QUALITY })
        .toBuffer({ resolveWithObject: true });
      const thumb = await sharp(made.data)
        .resize(THUMB_MAX, THUMB_MAX, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: THUMB_QUALITY })
        .toBuffer();
      await writeEncryptedFile(key, join(scratch, imageVariants.preview), made.data);
      await writeEncryptedFile(key, join(scratch, imageVariants.thumb), thumb);
      progress(0.3);
      return made.info;
    })(),
    (async () => {
      // The pyramid comes back as one (stored, uncompressed) zip in memory rather than a folder
      // of plaintext tiles on disk; each tile is encrypted on its way out of it.
      const zip = await decode()
        .jpeg({ quality: TILE_QUALITY })
        .tile({ size: TILE_SIZE, overlap: TILE_OVERLAP, layout: 'dz' })
        .toBuffer();
      progress(0.8);
      await mkdir(join(scratch, 'tiles'), { recursive: true });
      writeTilePack(key, zip, join(scratch, 'tiles', TILE_PACK_NAME));
    })(),
  );
  progress(0.95);
  return {
    version: 1,
    format: sniffed.format,
    width,
    height,
    tileSize: TILE_SIZE,
    overlap: TILE_OVERLAP,
    maxLevel: maxLevelFor(width, height),
    preview: { width: preview.width, height: preview.height },
  };
}

/**
 * Waits for every part (so none is still writing into the scratch folder when it is removed),
 * then throws the first failure, if any.
 */
async function bothOrThrow<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

function tooLarge(w: number, h: number): DeriveError {
  const mp = Math.round((w * h) / 1e6);
  return new DeriveError(
    'too-large',
    `This image is ${w} × ${h} px (${mp} megapixels), above the ${MAX_INPUT_PIXELS / 1e6} megapixel limit, and was not opened.`,
  );
}

/** sharp/libvips messages are technical; map the classes we know to plain words. */
function explainSharpError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(text))
    return `This image is above the ${MAX_INPUT_PIXELS / 1e6} megapixel limit and was not opened.`;
  if (/premature|truncat|end of (file|data)|unexpected end/i.test(text))
    return 'This image file is incomplete (truncated) and cannot be shown. Ask the referrer to send it again.';
  return 'This image file is damaged and cannot be shown. Ask the referrer to send it again.';
}
