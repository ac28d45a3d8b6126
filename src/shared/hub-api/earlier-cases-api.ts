import { z } from 'zod';
import { imageManifestEntrySchema, lesionSiteSchema, referralPrioritySchema } from '../domain/case';
import { consultantRefSchema, diagnosisSchema, type OutcomeKind } from '../domain/decision';
import { outcomeKinds } from '../domain/outcome-labels';

/**
 * The patient's earlier cases, as the hub serves them inside a case record (GET
 * /api/v1/cases/:caseId, `earlierCases`), so a workstation that never cached them can still
 * compare today's photographs with the earlier ones and see what was decided then. Read-only:
 * they are another case, never leased, decided or annotated through this one.
 *
 * The hub links cases by the patient's VERIFIED NHS number: the number passes the Modulus 11
 * check and came from the referring practice (every door takes it from the GP's form or system,
 * or from the practice's draft of a patient link; a patient never types it), and the two cases
 * agree on the date of birth as a second identifier. Only cases received before this one, not
 * withdrawn, that carry a signed decision or photographs; the most recent EARLIER_CASES_LIMIT.
 */

/**
 * Why five: the comparison a consultant makes is with the most recent history (a lesion's last
 * photographs, the last decision); five keeps the record a claim brings small and its downloads
 * bounded (at most 5 × 30 images) while covering the usual handful of re-referrals.
 */
export const EARLIER_CASES_LIMIT = 5;

/** The plan's summary a consultant reads beside the earlier images: first line and next steps. */
export const PLAN_SUMMARY_MAX = 2000;

export const earlierDecisionSchema = z.object({
  id: z.string().uuid(),
  version: z.number().int().positive(),
  outcome: z.enum(outcomeKinds as [OutcomeKind, ...OutcomeKind[]]),
  diagnosis: diagnosisSchema.nullable(),
  planSummary: z.string().max(PLAN_SUMMARY_MAX),
  signedBy: consultantRefSchema,
  signedAt: z.string().datetime(),
});
export type EarlierDecision = z.infer<typeof earlierDecisionSchema>;

export const earlierImageSchema = imageManifestEntrySchema.extend({
  /** The body-map region the referral gave for the lesion (the hub records one site per case). */
  bodySite: z.string().min(1).max(100),
});
export type EarlierImage = z.infer<typeof earlierImageSchema>;

export const earlierCaseSchema = z
  .object({
    id: z.string().uuid(),
    receivedAt: z.string().datetime(),
    referral: z.object({
      priority: referralPrioritySchema,
      presentingComplaint: z.string().min(1).max(5000),
      duration: z.string().max(500),
      site: lesionSiteSchema,
    }),
    /** The latest decision the hub accepted on that case, or null (photographs only). */
    decision: earlierDecisionSchema.nullable(),
    images: z.array(earlierImageSchema).max(30),
  })
  .strict();
export type EarlierCase = z.infer<typeof earlierCaseSchema>;

export const earlierCasesSchema = z.array(earlierCaseSchema).max(EARLIER_CASES_LIMIT);

/** One line for the plan: the first-line treatment and the next steps, cut to PLAN_SUMMARY_MAX. */
export function planSummary(plan: { firstLine: string; nextSteps: string; adviceToGp: string }): string {
  const parts = [plan.firstLine, plan.nextSteps].map((p) => p.trim()).filter((p) => p.length > 0);
  const text = parts.length > 0 ? parts.join(' ') : plan.adviceToGp.trim();
  return text.length > PLAN_SUMMARY_MAX ? `${text.slice(0, PLAN_SUMMARY_MAX - 1)}…` : text;
}
