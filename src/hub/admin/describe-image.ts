import sharp, { type Metadata } from 'sharp';
import type { ImageManifestEntry } from '../../shared/domain/case';

/** Larger than any clinical photograph we expect (48 MP demo images), small enough to refuse pixel bombs. */
export const MAX_INPUT_PIXELS = 100_000_000;

const mediaTypes = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;

/**
 * What the manifest says about an image, read from its real bytes: the sniffed format (never a
 * file name), and the size as displayed (EXIF orientation applied: a portrait photograph stored
 * sideways is described as portrait).
 */
export async function describeImage(
  bytes: Buffer,
): Promise<Pick<ImageManifestEntry, 'mediaType' | 'width' | 'height'>> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).metadata();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(reason)) {
      throw new Error(`The image is larger than ${MAX_INPUT_PIXELS / 1e6} megapixels; it was refused.`, {
        cause: error,
      });
    }
    throw new Error(`Not a readable JPEG, PNG or WebP image (${reason}).`, { cause: error });
  }
  const mediaType =
    meta.format && meta.format in mediaTypes ? mediaTypes[meta.format as keyof typeof mediaTypes] : null;
  if (!mediaType) throw new Error(`unsupported image format: ${meta.format ?? 'unknown'} (JPEG, PNG or WebP only)`);
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new Error('the image has no dimensions');
  return { mediaType, width, height };
}
