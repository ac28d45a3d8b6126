import sharp from 'sharp';
import type { AnnotationDoc } from '../../shared/domain/viewer/annotations';
import { annotationSvg } from './annotation-overlay';
import { MAX_INPUT_PIXELS } from './image-limits';

/**
 * An original turned upright (EXIF applied, as every derivative is) with the consultant's marks
 * drawn on at full resolution: annotations are stored in oriented-original pixels, so they land
 * exactly where they were drawn. Used by the GP letter's key image and the annotated-image export.
 */
export async function burnInAnnotations(
  original: Buffer,
  doc: AnnotationDoc | null,
): Promise<{ png: Buffer; width: number; height: number }> {
  const oriented = await sharp(original, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning' })
    .rotate()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = oriented.info;
  let pipeline = sharp(oriented.data, { limitInputPixels: MAX_INPUT_PIXELS });
  if (doc && doc.shapes.length > 0) {
    pipeline = pipeline.composite([{ input: Buffer.from(annotationSvg(doc, width, height)) }]);
  }
  return { png: await pipeline.png().toBuffer(), width, height };
}

/**
 * The same picture as burnInAnnotations, no larger than `maxSide` on its longer side, without
 * ever decoding the photograph at full size: sharp shrinks a JPEG while decoding it (libjpeg's
 * DCT scaling) when the first operation is a resize, so a 48 MP original costs a few MB, not
 * ~150 MB, per letter. The marks (in oriented-original pixels) are scaled onto it by the SVG's
 * viewBox, so they land where they were drawn. Returns PNG bytes and the drawn size.
 */
export async function burnInAnnotationsFitted(
  original: Buffer,
  doc: AnnotationDoc | null,
  maxSide: number,
): Promise<{ png: Buffer; width: number; height: number }> {
  const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning' as const };
  const meta = await sharp(original, options).metadata();
  if (!meta.width || !meta.height) throw new Error('The image has no dimensions.');
  // EXIF orientations 5-8 turn the picture a quarter: its upright width is the stored height.
  const turned = (meta.orientation ?? 1) >= 5;
  const width = turned ? meta.height : meta.width;
  const height = turned ? meta.width : meta.height;
  const fitted = await sharp(original, options)
    .rotate()
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    // Raw pixels between the two steps (small at letter size): re-encoding the fitted picture in
    // its own format would put a JPEG through one more lossy pass before the PNG.
    .raw()
    .toBuffer({ resolveWithObject: true });
  const out = { width: fitted.info.width, height: fitted.info.height };
  let pipeline = sharp(fitted.data, { raw: { ...out, channels: fitted.info.channels } });
  if (doc && doc.shapes.length > 0) {
    pipeline = pipeline.composite([{ input: Buffer.from(annotationSvg(doc, width, height, out)) }]);
  }
  return { png: await pipeline.png().toBuffer(), ...out };
}
