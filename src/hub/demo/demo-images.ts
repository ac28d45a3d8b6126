import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { MAX_INPUT_PIXELS } from '../admin/describe-image';

/** A generated clinical photograph: megapixels, and whether the camera stored it sideways (EXIF 6). */
export interface PhotoSpec {
  name: string;
  width: number;
  height: number;
  /** The fixture lesion composited at the centre. */
  lesionFile: string;
  /** Skin tone (Fitzpatrick-ish variety). */
  tone: [number, number, number];
  /** Stored rotated with EXIF orientation 6, as phones do for portrait shots. */
  exifRotated: boolean;
}

/**
 * Builds a realistic large lesion photograph: a skin-toned canvas with low-frequency mottling and
 * fine grain, the real dermoscopy lesion feathered into its centre. Written once to `cacheDir`
 * (temp file + rename) and reused, so re-seeding a demo data dir is quick.
 */
export async function demoPhoto(cacheDir: string, spec: PhotoSpec): Promise<Buffer> {
  const file = join(cacheDir, `${spec.name}.jpg`);
  if (existsSync(file)) return readFile(file);
  await mkdir(cacheDir, { recursive: true, mode: 0o700 });
  const { width, height, tone } = spec;

  // Low-frequency mottling: a tiny random field around the tone, upscaled smoothly.
  const mw = 48;
  const mh = Math.round((mw * height) / width);
  const mottle = Buffer.alloc(mw * mh * 3);
  const noise = randomBytes(mw * mh);
  for (let i = 0; i < mw * mh; i++) {
    const d = ((noise[i] ?? 128) - 128) / 12;
    mottle[i * 3] = clamp(tone[0] + d);
    mottle[i * 3 + 1] = clamp(tone[1] + d * 1.1);
    mottle[i * 3 + 2] = clamp(tone[2] + d * 1.2);
  }
  // Fine grain (pores, texture), tiled across the canvas with soft-light.
  const gs = 256;
  const grain = Buffer.from(randomBytes(gs * gs).map((v) => 128 + Math.round((v - 128) / 5)));
  const grainTile = await sharp(grain, { raw: { width: gs, height: gs, channels: 1 } })
    .toColourspace('srgb')
    .png()
    .toBuffer();

  const lesionSize = Math.round(Math.min(width, height) * 0.28);
  const mask = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${lesionSize}" height="${lesionSize}">
       <defs><radialGradient id="g"><stop offset="45%" stop-color="#fff" stop-opacity="1"/>
       <stop offset="82%" stop-color="#fff" stop-opacity="0"/></radialGradient></defs>
       <ellipse cx="50%" cy="50%" rx="50%" ry="42%" fill="url(#g)"/></svg>`,
  );
  const lesion = await sharp(spec.lesionFile)
    .resize(lesionSize, lesionSize, { fit: 'cover' })
    .ensureAlpha()
    .composite([{ input: mask, blend: 'dest-in' }])
    .png()
    .toBuffer();

  // Smooth it at a small size first (blurring 48 MP would be slow), then scale to the canvas.
  const smooth = await sharp(mottle, { raw: { width: mw, height: mh, channels: 3 } })
    .resize(mw * 16, mh * 16, { kernel: 'cubic' })
    .blur(10)
    .raw()
    .toBuffer({ resolveWithObject: true });
  const upright = await sharp(smooth.data, {
    raw: { width: smooth.info.width, height: smooth.info.height, channels: 3 },
    limitInputPixels: MAX_INPUT_PIXELS,
  })
    .resize(width, height, { kernel: 'cubic', fit: 'fill' })
    .composite([
      { input: grainTile, tile: true, blend: 'soft-light' },
      { input: lesion, gravity: 'centre', blend: 'multiply' },
    ])
    .jpeg({ quality: 85, chromaSubsampling: '4:2:0' })
    .toBuffer();
  const bytes = spec.exifRotated
    ? // Pixels stored 90° anticlockwise with orientation 6: a viewer must rotate them back.
      await sharp(upright, { limitInputPixels: MAX_INPUT_PIXELS })
        .rotate(270)
        .withMetadata({ orientation: 6 })
        .jpeg({ quality: 85 })
        .toBuffer()
    : upright;
  const tmp = `${file}.${process.pid}.part`;
  await writeFile(tmp, bytes, { mode: 0o600 });
  await rename(tmp, file);
  return bytes;
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}
