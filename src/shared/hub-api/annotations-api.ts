import { z } from 'zod';
import { sha256Schema } from '../domain/case';
import { annotationDocSchema, type AnnotationDoc } from '../domain/viewer/annotations';

/**
 * The consultant's marks on a case's images, kept on the hub so a second workstation (or the
 * same one after its cache was rebuilt) sees them.
 *
 * PUT /api/v1/cases/:caseId/images/:sha256/annotations
 *   If-Match: "<version the edit was based on>"   ("0" when the hub had none; required)
 *   Idempotency-Key: <save id>                     (a resend of the same save is answered again)
 *   body: { doc }
 *   200 → annotationsReceiptSchema; the new version is always base + 1, so the workstation knows
 *   it without waiting for the answer. A stale base → 412 `annotations-stale` (nothing is
 *   overwritten: another workstation's marks are never silently lost). A document over the size
 *   limits → 413 `annotations-too-large`; one that fails the schema → 422 `invalid-annotations`.
 *
 * GET /api/v1/cases/:caseId carries them as `annotations` (one entry per image that has marks).
 */

/** Serialised document size the hub keeps (well under the 1 MiB this route's body may be). */
export const ANNOTATIONS_MAX_BYTES = 192 * 1024;
/** Freehand points over all shapes of one image (a long careful outline is ~1,000). */
export const ANNOTATIONS_MAX_POINTS = 20_000;

export const annotationsUploadSchema = z.object({ doc: annotationDocSchema }).strict();

export const imageAnnotationsSchema = z.object({
  sha256: sha256Schema,
  version: z.number().int().positive(),
  doc: annotationDocSchema,
  savedAt: z.string().datetime(),
  savedBy: z.string().min(1).max(200),
});
export type ImageAnnotations = z.infer<typeof imageAnnotationsSchema>;

export const annotationsReceiptSchema = z.object({
  caseId: z.string().uuid(),
  sha256: sha256Schema,
  version: z.number().int().positive(),
  savedAt: z.string().datetime(),
});
export type AnnotationsReceipt = z.infer<typeof annotationsReceiptSchema>;

/** At most one entry per image of a case (a case has at most a few dozen images). */
export const caseAnnotationsSchema = z.array(imageAnnotationsSchema).max(64);

/**
 * Why a document is too large to sync, or null. Shared by the hub (which refuses it) and the
 * workstation (which says so at once rather than after a round trip).
 */
export function annotationsTooLarge(doc: AnnotationDoc): string | null {
  const bytes = new TextEncoder().encode(JSON.stringify(doc)).length;
  if (bytes > ANNOTATIONS_MAX_BYTES)
    return `These marks are too large to keep (${Math.ceil(bytes / 1024)} KiB; at most ${ANNOTATIONS_MAX_BYTES / 1024} KiB per image). Simplify or remove some freehand outlines.`;
  const points = doc.shapes.reduce((n, s) => n + (s.kind === 'freehand' ? s.points.length : 0), 0);
  if (points > ANNOTATIONS_MAX_POINTS)
    return `These marks have too many freehand points (${points}; at most ${ANNOTATIONS_MAX_POINTS} per image). Remove some freehand outlines.`;
  return null;
}
