import sharp from 'sharp';
import type { CaseRecord } from '../../shared/domain/case';
import type { AnnotationDoc } from '../../shared/domain/viewer/annotations';
import { burnInAnnotationsFitted } from '../images/burn-in';

/** The key image's longer side on the letter, in pixels. */
export const KEY_IMAGE_MAX_SIDE = 900;

/** The picture on the letter: JPEG bytes and the line under it. */
export interface KeyImage {
  jpeg: Buffer;
  caption: string;
}

/**
 * Where the key image's inputs come from: the workstation reads its encrypted cache and its
 * annotation store, the hub its object store and its annotation rows. Both return null for
 * anything they do not have (a missing file, marks from a newer version), never throw for it.
 */
export interface KeyImageSource {
  /** The consultant's marks on one image, or null when there are none. */
  marksOf(sha256: string): AnnotationDoc | null;
  /** The image's original bytes (as received), or null when they cannot be read. */
  original(sha256: string): Promise<Buffer | null>;
}

/**
 * The order in which images are tried for the key image: annotated ones first (the consultant
 * chose to mark them), then close-up and dermoscopy before overview images, otherwise the
 * referral's order. Pure, so both programs pick the same image from the same case and marks.
 */
export function keyImageCandidates(
  record: Pick<CaseRecord, 'images'>,
  marksOf: (sha256: string) => AnnotationDoc | null,
): CaseRecord['images'] {
  const marked = (sha: string): boolean => (marksOf(sha)?.shapes.length ?? 0) > 0;
  return [...record.images].sort(
    (a, b) =>
      Number(marked(b.sha256)) - Number(marked(a.sha256)) ||
      Number(a.kind === 'overview') - Number(b.kind === 'overview'),
  );
}

/**
 * The key image of the outcome letter, with the consultant's marks drawn on, scaled to fit the
 * letter (decoded at that size, never at full size: burnInAnnotationsFitted): the same function on the workstation (the letter the consultant
 * exports and previews) and on the hub (the letter the practice downloads), so both carry the
 * same picture. Always drawn from the original (marks are in oriented-original pixels, scaled with it). A corrupt
 * or unreadable image is skipped; null when no image can be drawn.
 *
 * `strict` (the hub, whose letter is issued once and kept): an image that fails to decode fails
 * the whole call instead of being skipped, so a passing fault never freezes a letter without the
 * picture it should carry. The workstation renders on demand and keeps its lenient default.
 */
export async function keyImage(
  record: Pick<CaseRecord, 'images'>,
  source: KeyImageSource,
  options: { strict?: boolean } = {},
): Promise<KeyImage | null> {
  const known = new Map<string, AnnotationDoc | null>();
  const marksOf = (sha: string): AnnotationDoc | null => {
    if (!known.has(sha)) known.set(sha, source.marksOf(sha));
    return known.get(sha) ?? null;
  };
  for (const image of keyImageCandidates(record, marksOf)) {
    const bytes = await source.original(image.sha256);
    if (!bytes) continue;
    const marks = marksOf(image.sha256);
    const doc = marks && marks.shapes.length > 0 ? marks : null;
    try {
      // Decoded at the letter's size (shrink-on-load), never at the photograph's full size.
      const { png } = await burnInAnnotationsFitted(bytes, doc, KEY_IMAGE_MAX_SIDE);
      const jpeg = await sharp(png).jpeg({ quality: 80 }).toBuffer();
      const taken = image.takenAt ? `, taken ${image.takenAt.slice(0, 10)}` : '';
      return { jpeg, caption: `${image.kind} image${taken}${doc ? ", with the consultant's marks" : ''}` };
    } catch (error) {
      if (options.strict) throw error;
      // A corrupt image must not stop the letter; try the next one.
    }
  }
  return null;
}
