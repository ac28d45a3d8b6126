import { z } from 'zod';
import { imageManifestEntrySchema, patientSchema, sha256Schema } from '../domain/case';
import { annotationDocSchema } from '../domain/viewer/annotations';
import { method } from './define';

export const derivedMetaSchema = z.object({
  version: z.literal(1),
  format: z.enum(['jpeg', 'png', 'webp']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  tileSize: z.number().int().positive(),
  overlap: z.number().int().min(0),
  maxLevel: z.number().int().min(0),
  preview: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }),
});
export type DerivedMetaData = z.infer<typeof derivedMetaSchema>;

export const derivativeStatusSchema = z.object({
  sha256: z.string(),
  state: z.enum(['missing', 'queued', 'working', 'ready', 'failed']),
  progress: z.number().min(0).max(1),
  message: z.string().optional(),
  meta: derivedMetaSchema.optional(),
});
export type DerivativeStatusData = z.infer<typeof derivativeStatusSchema>;

/**
 * A case's images and each distinct image's readiness (images.forCase, viewer.case-followed), with
 * whose images they are: a viewer on a second monitor must name the patient (wrong-patient hazard).
 */
export const caseImagesSchema = z.object({
  patient: patientSchema.pick({ familyName: true, givenName: true, nhsNumber: true, dateOfBirth: true }),
  images: z.array(imageManifestEntrySchema),
  statuses: z.array(derivativeStatusSchema),
});

export type CaseImagesData = z.infer<typeof caseImagesSchema>;

/**
 * The event the pop-out viewer follows. It carries the case's images with their readiness, so
 * the viewer can start fetching and draw the first image without a round trip of its own.
 */
export const viewerCaseFollowedSchema = z.object({
  caseId: z.string().uuid().nullable(),
  open: z.boolean(),
  /** Absent when the case is not in the cache (the viewer then asks images.forCase and shows why). */
  content: caseImagesSchema.optional(),
});

export const imageMethods = {
  'images.status': method(
    z.object({ sha256s: z.array(sha256Schema).min(1).max(64) }).strict(),
    z.object({ images: z.array(derivativeStatusSchema) }),
    'Whether each image is ready to view (with its pyramid size), still being prepared, or refused and why.',
  ),
  'images.retry': method(
    z.object({ sha256: sha256Schema }).strict(),
    z.object({ queued: z.boolean() }),
    'Prepare an image again after a failure (e.g. after it was fetched again).',
  ),
  'annotations.get': method(
    z.object({ sha256: sha256Schema }).strict(),
    z.object({
      doc: annotationDocSchema.nullable(),
      revision: z.number().int().min(0),
      /** Why the hub did not take these marks (e.g. changed on another workstation), or null. */
      syncNote: z.string().nullable(),
    }),
    "The consultant's marks on one image (oriented-image pixel coordinates), and whether the hub refused them.",
  ),
  'annotations.save': method(
    z.object({ sha256: sha256Schema, doc: annotationDocSchema, expectedRevision: z.number().int().min(0) }).strict(),
    z.object({ revision: z.number().int().min(1) }),
    'Replace the marks on one image; refused with conflict if another window saved since expectedRevision.',
  ),
  'images.forCase': method(
    z.object({ caseId: z.string().uuid() }).strict(),
    // statuses: each distinct image's derivation status (with its pyramid when ready), as images.status.
    caseImagesSchema.extend({ caseId: z.string() }),
    "A cached case's image manifest and each image's readiness, in one call (the pop-out viewer follows the main window's case with this and can draw at once).",
  ),
  'viewer.follow-case': method(
    z.object({ caseId: z.string().uuid().nullable(), open: z.boolean().default(false) }).strict(),
    z.object({ ok: z.literal(true) }),
    'Tell every viewer (e.g. the pop-out window) which case the main window shows; open: also open the pop-out.',
  ),
};
