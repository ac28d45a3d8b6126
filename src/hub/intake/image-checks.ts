import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { ImageQualityReport } from '../../shared/hub-api/intake-api';
import { MAX_IMAGE_BYTES, MIN_IMAGE_EDGES } from '../../shared/hub-api/intake-api';
import { looksTruncated, refusedFormatMessage, sniffFormat, type AcceptedMediaType } from './image-format';

type MediaType = AcceptedMediaType;

/** Refuse decompression bombs before sharp allocates: 50 MP covers every phone camera. */
export const LIMIT_INPUT_PIXELS = 50_000_000;

/** Thresholds measured on the HAM10000 fixtures (sharp: Laplacian variance 50-113; blur σ=4: 2-4). */
export const BLUR_THRESHOLD = 15;
export const DARK_MEAN = 50;
export const BRIGHT_MEAN = 225;
export const CLIPPED_FRACTION = 0.25;

/** The real format from the magic bytes, when it is one the clinic accepts (image-format.ts). */
export function sniffMediaType(bytes: Uint8Array): MediaType | null {
  const format = sniffFormat(bytes);
  return format.accepted ? format.mediaType : null;
}

/** The two ways an accepted file can fail to decode, named for what the sender should do. */
export const TRUNCATED_MESSAGE = 'the image is cut off (truncated): only part of the file arrived; attach it again';
export const CORRUPT_MESSAGE =
  'the image is corrupt: the whole file arrived but its picture data is damaged; take or export the photograph again';

export interface InspectedImage {
  mediaType: MediaType;
  sha256: string;
  bytes: number;
  /** Display size, after EXIF orientation. */
  width: number;
  height: number;
}

export type InspectResult = { ok: true; image: InspectedImage } | { ok: false; message: string };

/**
 * Checks one untrusted upload: size, real format (and that it matches the declared one), that it
 * decodes completely (truncated files fail here), and the minimum resolution.
 */
export async function inspectImage(bytes: Buffer, declared?: string): Promise<InspectResult> {
  if (bytes.length === 0) return { ok: false, message: 'the image is empty (0 bytes): attach the photograph again' };
  if (bytes.length > MAX_IMAGE_BYTES)
    return {
      ok: false,
      message: `the image is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${MAX_IMAGE_BYTES / 1048576} MB`,
    };
  const format = sniffFormat(bytes);
  if (!format.accepted) return { ok: false, message: refusedFormatMessage(format.kind) };
  const mediaType = format.mediaType;
  if (declared !== undefined && declared !== mediaType)
    return { ok: false, message: `declared ${declared} but the bytes are ${mediaType}` };
  try {
    // failOn 'warning': libjpeg reports scrambled scan data only as a warning ("Corrupt JPEG
    // data"), and with a laxer setting such a file decodes to garbage pixels a consultant would
    // then be shown as the patient's skin. Refusing it here, while the sender can still resend,
    // is the safe place (tests/hostile: jpeg-corrupt-scan).
    const img = sharp(bytes, { limitInputPixels: LIMIT_INPUT_PIXELS, failOn: 'warning' });
    const meta = await img.metadata();
    // Decode fully: metadata alone reads only the header, and a truncated body must be refused.
    await img.clone().raw().toBuffer();
    const swap = (meta.orientation ?? 1) >= 5;
    const width = (swap ? meta.height : meta.width) ?? 0;
    const height = (swap ? meta.width : meta.height) ?? 0;
    if (Math.min(width, height) < MIN_IMAGE_EDGES.short || Math.max(width, height) < MIN_IMAGE_EDGES.long) {
      return {
        ok: false,
        message: `the image is ${width}x${height}; at least ${MIN_IMAGE_EDGES.long}x${MIN_IMAGE_EDGES.short} is needed`,
      };
    }
    return {
      ok: true,
      image: {
        mediaType,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        bytes: bytes.length,
        width,
        height,
      },
    };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message))
      return { ok: false, message: 'the image has too many pixels' };
    return { ok: false, message: looksTruncated(bytes, mediaType) ? TRUNCATED_MESSAGE : CORRUPT_MESSAGE };
  }
}

/** Variance of the 4-neighbour Laplacian and mean luminance over a greyscale image. Pure. */
export function sharpnessAndExposure(grey: Uint8Array, width: number, height: number) {
  let lum = 0;
  let dark = 0;
  let bright = 0;
  for (const v of grey) {
    lum += v;
    if (v < 16) dark++;
    if (v > 240) bright++;
  }
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const v = grey[i - width]! + grey[i + width]! + grey[i - 1]! + grey[i + 1]! - 4 * grey[i]!;
      sum += v;
      sq += v * v;
      n++;
    }
  }
  const mean = n ? sum / n : 0;
  const total = grey.length || 1;
  return {
    sharpness: n ? sq / n - mean * mean : 0,
    meanLuminance: lum / total,
    darkFraction: dark / total,
    brightFraction: bright / total,
  };
}

/**
 * The quality check the web form runs at upload, while the patient is still in the room:
 * resolution, blur (variance of the Laplacian at a fixed 512 px scale, so the figure does not
 * depend on the camera's resolution) and exposure. Throws nothing: a bad file is a report.
 */
export async function imageQuality(bytes: Buffer): Promise<ImageQualityReport | { error: string }> {
  const inspected = await inspectImage(bytes);
  const small = !inspected.ok && /at least/.test(inspected.message);
  if (!inspected.ok && !small) return { error: inspected.message };
  const { data, info } = await sharp(bytes, { limitInputPixels: LIMIT_INPUT_PIXELS })
    .rotate()
    .greyscale()
    .resize({ width: 512, height: 512, fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const m = sharpnessAndExposure(data, info.width, info.height);
  const meta = await sharp(bytes).metadata();
  const swap = (meta.orientation ?? 1) >= 5;
  const width = (swap ? meta.height : meta.width) ?? 0;
  const height = (swap ? meta.width : meta.height) ?? 0;
  const issues: ImageQualityReport['issues'] = [];
  if (!inspected.ok)
    issues.push({
      issue: 'resolution',
      message: `Too small (${width}x${height}): move closer or use the camera's full resolution.`,
    });
  if (m.meanLuminance < DARK_MEAN || m.darkFraction > CLIPPED_FRACTION)
    issues.push({
      issue: 'too-dark',
      message: 'Too dark: take it again in good, even light (daylight by a window is best).',
    });
  else if (m.meanLuminance > BRIGHT_MEAN || m.brightFraction > CLIPPED_FRACTION)
    issues.push({ issue: 'too-bright', message: 'Too bright or washed out: avoid the flash and direct sunlight.' });
  // A dark image has little contrast, so its blur figure means nothing: report the light first.
  if (m.sharpness < BLUR_THRESHOLD && !issues.some((i) => i.issue === 'too-dark'))
    issues.push({
      issue: 'blur',
      message: 'Blurred: hold the camera steady, tap the lesion to focus, and take it again.',
    });
  return {
    ok: issues.length === 0,
    width,
    height,
    mediaType: inspected.ok ? inspected.image.mediaType : (sniffMediaType(bytes) ?? 'image/jpeg'),
    sharpness: Math.round(m.sharpness * 10) / 10,
    meanLuminance: Math.round(m.meanLuminance * 10) / 10,
    issues,
  };
}
