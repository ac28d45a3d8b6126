import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { encryptBuffer, FileCipherError } from '../crypto/file-cipher';
import { readEncryptedFile, writeEncryptedFile } from '../crypto/encrypted-files';
import { imageDir, imageVariants, originalPath } from './image-paths';
import { sniffFormat, sniffMessage } from './sniff-format';

/** Tiles are 256 px with a 1 px overlap on inner edges so neighbouring tiles never show a seam. */
export const TILE_SIZE = 256;
export const TILE_OVERLAP = 1;
export const PREVIEW_MAX = 2048;
export const THUMB_MAX = 320;
/**
 * Refuse anything above 120 megapixels before decoding: the header's dimensions are checked
 * first, so a decompression bomb costs a few bytes of reading, not gigabytes of pixels.
 */
export const MAX_INPUT_PIXELS = 120_000_000;

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
  onProgress(0.05);
  // The preview decodes the whole file once with failOn, so a truncated file is caught here
  // before the (slower) pyramid is built.
  const preview = await sharp(original, sharpOptions)
    .rotate()
    .resize(PREVIEW_MAX, PREVIEW_MAX, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 90 })
    .toBuffer({ resolveWithObject: true });
  await writeEncryptedFile(key, join(scratch, imageVariants.preview), preview.data);
  onProgress(0.3);
  const thumb = await sharp(preview.data)
    .resize(THUMB_MAX, THUMB_MAX, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toBuffer();
  await writeEncryptedFile(key, join(scratch, imageVariants.thumb), thumb);
  onProgress(0.35);
  // The pyramid comes back as one (stored, uncompressed) zip in memory rather than a folder of
  // plaintext tiles on disk; each tile is encrypted on its way out of it.
  const zip = await sharp(original, sharpOptions)
    .rotate()
    .webp({ quality: 90, effort: 1 })
    .tile({ size: TILE_SIZE, overlap: TILE_OVERLAP, layout: 'dz' })
    .toBuffer();
  onProgress(0.8);
  await writeTiles(key, zip, join(scratch, 'tiles'));
  onProgress(0.95);
  return {
    version: 1,
    format: sniffed.format,
    width,
    height,
    tileSize: TILE_SIZE,
    overlap: TILE_OVERLAP,
    maxLevel: maxLevelFor(width, height),
    preview: { width: preview.info.width, height: preview.info.height },
  };
}

/** Deep Zoom tiles sit at <name>_files/<level>/<x>_<y>.webp inside the zip; anything else is ignored. */
const TILE_ENTRY = /^[^/]+_files\/(\d{1,2})\/(\d{1,4})_(\d{1,4})\.webp$/;

async function writeTiles(key: Buffer, zip: Buffer, into: string): Promise<void> {
  const entries = unzipSync(zip, { filter: (file) => TILE_ENTRY.test(file.name) });
  const made = new Set<string>();
  for (const [name, bytes] of Object.entries(entries)) {
    const m = TILE_ENTRY.exec(name);
    if (!m) continue;
    const level = join(into, String(Number(m[1])));
    if (!made.has(level)) {
      await mkdir(level, { recursive: true });
      made.add(level);
    }
    await writeFile(join(level, `${Number(m[2])}_${Number(m[3])}.webp`), encryptBuffer(key, bytes));
  }
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
