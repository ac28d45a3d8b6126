import { z } from 'zod';
import { annotationDocSchema } from './viewer/annotations';

/**
 * The consultant's triage decision. Outcomes follow the seed's list and NHS teledermatology
 * practice; each kind carries exactly the details that outcome needs.
 */
export const appointmentModeSchema = z.enum(['in-person', 'phone', 'video']);

export const moreInformationItems = ['dermoscopy', 'scale', 'close-up', 'overview', 'history'] as const;

export const outcomeSchema = z.discriminatedUnion('kind', [
  /** Advice and a treatment plan back to the GP; the patient is discharged from the service. */
  z.object({ kind: z.literal('discharge') }),
  z.object({
    kind: z.literal('routine-face-to-face'),
    clinic: z.enum(['general', 'subspecialty']),
    subspecialty: z.string().max(200).nullable(),
    mode: appointmentModeSchema,
  }),
  z.object({ kind: z.literal('urgent-face-to-face'), mode: appointmentModeSchema }),
  /** Suspected cancer pathway (two-week wait). */
  z.object({ kind: z.literal('suspected-cancer-pathway') }),
  z.object({
    kind: z.literal('procedure-list'),
    procedure: z.enum(['biopsy', 'skin-surgery']),
    urgency: z.enum(['urgent', 'routine']),
  }),
  z.object({ kind: z.literal('onward-referral'), specialty: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('teledermatology-follow-up'), weeks: z.number().int().min(1).max(52) }),
  /** Returned to the referrer; the case stays open on the hub until answered. */
  z.object({
    kind: z.literal('more-information'),
    requests: z.array(z.enum(moreInformationItems)).min(1),
    detail: z.string().min(1).max(2000),
  }),
  z.object({ kind: z.literal('unable-to-assess-remotely') }),
]);
export type Outcome = z.infer<typeof outcomeSchema>;
export type OutcomeKind = Outcome['kind'];

export const diagnosisSchema = z.object({
  /** SNOMED CT concept id from resources/diagnoses, or null for free text. */
  snomedCode: z
    .string()
    .regex(/^\d{6,18}$/)
    .nullable(),
  label: z.string().min(1).max(300),
});

export const managementPlanSchema = z.object({
  firstLine: z.string().max(5000),
  nextSteps: z.string().max(5000),
  reReferral: z.string().max(5000),
  safetyNetting: z.string().max(5000),
  adviceToGp: z.string().max(10000),
  leaflets: z.array(z.object({ title: z.string().max(200), url: z.string().url() })).max(20),
});

export const consultantRefSchema = z.object({
  id: z.string().min(1).max(100),
  displayName: z.string().min(1).max(200),
});

/** The decision content a consultant edits (a draft) before signing. */
export const decisionContentSchema = z.object({
  outcome: outcomeSchema,
  diagnosis: diagnosisSchema.nullable(),
  plan: managementPlanSchema,
  /** Only for suspected-cancer referrals not put on that pathway: advice to the referrer to downgrade. */
  downgradeAdvice: z.string().max(2000).nullable(),
  /** Weighted 7-point checklist score (NICE NG12), when the aid was used. */
  sevenPointScore: z.number().int().min(0).max(13).nullable(),
});
export type DecisionContent = z.infer<typeof decisionContentSchema>;

/** One image's marks as signed with a decision (`SignedDecision.marks`). */
export const signedMarksSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  doc: annotationDocSchema,
});
export type SignedMarks = z.infer<typeof signedMarksSchema>;

/**
 * Marks ride with a decision only while the whole signed decision stays within this much JSON:
 * the decision upload and a sealed outbox entry (base64, a third larger: ~235 KiB) must stay
 * inside the hub's 256 KiB body limit whatever the plan holds. Virtually all marks are a few KiB
 * (an ellipse is ~120 bytes, a 200-point outline ~5 KiB); past this, the decision carries none
 * and the hub fixes the marks it holds at acceptance.
 */
export const DECISION_WITH_MARKS_MAX_BYTES = 176 * 1024;

/**
 * A signed decision: immutable once signed. An amendment is a new decision with `version` + 1
 * and `supersedes` naming the one it replaces.
 */
export const signedDecisionSchema = decisionContentSchema.extend({
  id: z.string().uuid(),
  caseId: z.string().uuid(),
  /** The hub's case version the consultant decided on (sent as If-Match). */
  caseVersion: z.number().int().positive(),
  version: z.number().int().positive(),
  supersedes: z.string().uuid().nullable(),
  signedBy: consultantRefSchema,
  signedAt: z.string().datetime(),
  /**
   * The consultant's marks as they were when this decision was signed (images with at least one
   * shape), so the outcome letter's key image is the one the consultant signed with, whatever
   * order the marks and the decision reach the hub in and whatever is drawn later. Absent from
   * decisions signed before this field existed, and when the marks are too large to carry
   * (DECISION_WITH_MARKS_MAX_BYTES): the hub then fixes the marks it holds when it accepts the decision.
   */
  marks: z.array(signedMarksSchema).max(100).optional(),
});
export type SignedDecision = z.infer<typeof signedDecisionSchema>;
