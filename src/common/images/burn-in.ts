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
