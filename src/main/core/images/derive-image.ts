import { open, mkdir, rename, rm, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { imageDir, imageVariants } from './image-paths';
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

const sharpOptions = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' } as const;

export function maxLevelFor(width: number, height: number): number {
  return Math.ceil(Math.log2(Math.max(width, height, 1)));
}

/**
 * Derives the preview, thumbnail and tile pyramid for one stored original, leaving the original
 * untouched. Everything is written to a scratch folder and moved into place only when complete;
 * meta.json goes last, so its presence means "ready". A refused or broken file gets error.json
 * with a message a consultant can act on, and never affects other images.
 */
export async function deriveImage(
  dataDir: string,
  sha256: string,
  onProgress: (fraction: number) => void = () => {},
): Promise<DerivedMeta> {
  const dir = imageDir(dataDir, sha256);
  const original = join(dir, imageVariants.original);
  const scratch = join(dir, `derive-${process.pid}-${Date.now()}.tmp`);
  try {
    const meta = await deriveInto(original, scratch, onProgress);
    await rm(join(dir, 'tiles'), { recursive: true, force: true });
    await rename(join(scratch, 'tiles_files'), join(dir, 'tiles'));
    await rename(join(scratch, imageVariants.preview), join(dir, imageVariants.preview));
    await rename(join(scratch, imageVariants.thumb), join(dir, imageVariants.thumb));
    await writeFile(join(scratch, 'meta.json'), JSON.stringify(meta));
    await rename(join(scratch, 'meta.json'), join(dir, 'meta.json'));
    await rm(join(dir, 'error.json'), { force: true });
    onProgress(1);
    return meta;
  } catch (error) {
    const failure = error instanceof DeriveError ? error : new DeriveError('corrupt', explainSharpError(error));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'error.json'), JSON.stringify({ code: failure.code, message: failure.message }));
    throw failure;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function deriveInto(
  original: string,
  scratch: string,
  onProgress: (fraction: number) => void,
): Promise<DerivedMeta> {
  let size: number;
  try {
    size = (await stat(original)).size;
  } catch {
    throw new DeriveError('missing', 'The original image is not in the cache yet. Sync again to fetch it.');
  }
  const head = new Uint8Array(4096);
  const fh = await open(original, 'r');
  let read: number;
  try {
    ({ bytesRead: read } = await fh.read(head, 0, head.length, 0));
  } finally {
    await fh.close();
  }
  const sniffed = sniffFormat(head.subarray(0, Math.min(read, size)));
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
    .toFile(join(scratch, imageVariants.preview));
  onProgress(0.3);
  await sharp(join(scratch, imageVariants.preview))
    .resize(THUMB_MAX, THUMB_MAX, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toFile(join(scratch, imageVariants.thumb));
  onProgress(0.35);
  await sharp(original, sharpOptions)
    .rotate()
    .webp({ quality: 90, effort: 1 })
    .tile({ size: TILE_SIZE, overlap: TILE_OVERLAP, layout: 'dz' })
    .toFile(join(scratch, 'tiles.dz'));
  onProgress(0.95);
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
