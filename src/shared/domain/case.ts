import { z } from 'zod';
import { findBodyRegion } from './body-map';

/**
 * The referral as it travels: hub → workstation cache → case view. Every field is JSON-safe
 * because the same objects cross IPC, the test host's HTTP and the hub's API.
 */
export const imageKinds = ['overview', 'close-up', 'dermoscopy'] as const;
export const imageKindSchema = z.enum(imageKinds);
export type ImageKind = z.infer<typeof imageKindSchema>;

export const allowedImageMediaTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;

export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');

export const imageManifestEntrySchema = z.object({
  id: z.string().uuid(),
  sha256: sha256Schema,
  bytes: z.number().int().positive(),
  mediaType: z.enum(allowedImageMediaTypes),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  kind: imageKindSchema,
  takenAt: z.string().datetime().optional(),
});
export type ImageManifestEntry = z.infer<typeof imageManifestEntrySchema>;

export const referralPriorities = ['routine', 'urgent', 'suspected-cancer'] as const;
export const referralPrioritySchema = z.enum(referralPriorities);
export type ReferralPriority = z.infer<typeof referralPrioritySchema>;

export const sexSchema = z.enum(['female', 'male', 'other', 'unknown']);

export const patientSchema = z.object({
  nhsNumber: z.string().regex(/^\d{10}$/, 'must be 10 digits'),
  givenName: z.string().min(1).max(100),
  familyName: z.string().min(1).max(100),
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
  sex: sexSchema,
  /** Postal address lines, when the referrer gave them (printed in the letter's patient block). */
  address: z.array(z.string().trim().min(1).max(200)).max(6).optional(),
});
export type Patient = z.infer<typeof patientSchema>;

export const practiceSchema = z.object({
  odsCode: z.string().regex(/^[A-Z0-9]{3,10}$/, 'must be an ODS code'),
  name: z.string().min(1).max(200),
  clinician: z.string().min(1).max(200),
});
export type Practice = z.infer<typeof practiceSchema>;

export const consentSchema = z.object({
  given: z.boolean(),
  recordedAt: z.string().datetime(),
  recordedBy: z.string().min(1).max(200),
});

export const lesionSiteSchema = z.object({
  /** Body-map region id (src/shared/domain/body-map.ts), e.g. "left-forearm-anterior". */
  region: z
    .string()
    .min(1)
    .max(100)
    .refine((id) => findBodyRegion(id) !== null, 'must be a region of the body map'),
  description: z.string().max(500),
});

export const referralSchema = z.object({
  priority: referralPrioritySchema,
  receivedAt: z.string().datetime(),
  presentingComplaint: z.string().min(1).max(5000),
  duration: z.string().min(1).max(500),
  evolution: z.string().max(5000),
  site: lesionSiteSchema,
  symptoms: z.string().max(5000),
  history: z.string().max(10000),
  medication: z.string().max(5000),
  allergies: z.string().max(2000),
  riskFactors: z.array(z.string().max(200)).max(50),
  consent: consentSchema.nullable(),
});
export type Referral = z.infer<typeof referralSchema>;

/**
 * The referrer's answer to a "more information or better images" outcome, as the hub recorded it
 * on the case: which decision it answers, when, who sent it, the note, and which of the case's
 * images came with it (ids from `images`). The workstation brings the case back to triage when
 * an answer names the decision it holds as the latest (core/sync/store-case.ts).
 */
export const informationAnswerSchema = z.object({
  decisionId: z.string().uuid(),
  at: z.string().datetime(),
  from: z.enum(['practice', 'patient']),
  note: z.string().max(5000),
  imageIds: z.array(z.string().uuid()).max(30),
});
export type InformationAnswer = z.infer<typeof informationAnswerSchema>;

/** A case as the hub serves it; `version` is the hub's optimistic-concurrency counter (If-Match). */
export const caseRecordSchema = z.object({
  id: z.string().uuid(),
  version: z.number().int().positive(),
  patient: patientSchema,
  practice: practiceSchema,
  referral: referralSchema,
  images: z.array(imageManifestEntrySchema).max(30),
  /** Answers to more-information requests, oldest first (absent on cases never returned). */
  informationAnswers: z.array(informationAnswerSchema).max(50).optional(),
});

/** The answer to `decisionId` on this record (the latest one naming it), or null. */
export function answerTo(record: CaseRecord, decisionId: string | null | undefined): InformationAnswer | null {
  if (!decisionId) return null;
  return record.informationAnswers?.findLast((a) => a.decisionId === decisionId) ?? null;
}
export type CaseRecord = z.infer<typeof caseRecordSchema>;

/** Where a cached case stands on this workstation. */
export const localCaseStates = [
  'new',
  'draft',
  'signed-pending-sync',
  'synced',
  'needs-review',
  'rejected',
  'withdrawn',
  'passed-on',
] as const;
export const localCaseStateSchema = z.enum(localCaseStates);
export type LocalCaseState = z.infer<typeof localCaseStateSchema>;

/** One worklist row: just what the list shows and sorts on. */
export const caseSummarySchema = z.object({
  id: z.string().uuid(),
  patientName: z.string(),
  nhsNumber: z.string(),
  practiceName: z.string(),
  priority: referralPrioritySchema,
  receivedAt: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
  state: localCaseStateSchema,
  presentingComplaint: z.string(),
  imageCount: z.number().int(),
  /** Whole years on the London calendar date (null for a date of birth in the future). */
  ageYears: z.number().int().nullable(),
  sex: sexSchema,
  /** False when the referral carries no consent, or a refusal: the row says "No consent". */
  consentRecorded: z.boolean(),
  /** The first image's SHA-256 (null for a case without images) and whether its thumbnail is cached. */
  thumbSha256: z.string().nullable(),
  thumbReady: z.boolean(),
  /** Back on the worklist because the referrer answered a more-information request: who answered. */
  answerFrom: z.enum(['practice', 'patient']).nullable().optional(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;
