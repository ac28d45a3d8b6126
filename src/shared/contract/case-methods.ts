import { z } from 'zod';
import {
  caseRecordSchema,
  imageManifestEntrySchema,
  informationAnswerSchema,
  localCaseStateSchema,
} from '../domain/case';
import { signedDecisionSchema, type OutcomeKind } from '../domain/decision';
import { outcomeKinds } from '../domain/outcome-labels';
import { decisionFormSchema } from '../domain/decision-form';
import { method } from './define';

export const caseDetailSchema = z.object({
  record: caseRecordSchema,
  state: localCaseStateSchema,
  stateNote: z.string().nullable(),
  dueOn: z.string(),
  overdue: z.boolean(),
  nhsNumberValid: z.boolean(),
  ageYears: z.number().int().nullable(),
  draft: z.object({ form: decisionFormSchema, updatedAt: z.string(), recovered: z.boolean() }).nullable(),
  decisions: z.array(signedDecisionSchema.extend({ syncState: z.string(), syncNote: z.string().nullable() })),
  /**
   * The referrer's answer to the latest decision (a "more information" request), or null: the case
   * view shows its note and marks the photographs it brought. Gone once a newer decision is signed.
   */
  answer: informationAnswerSchema.nullable(),
  priorCases: z.array(
    z.object({
      id: z.string().uuid(),
      receivedAt: z.string(),
      presentingComplaint: z.string(),
      /** Its state in this cache; null for an earlier case only the hub sent. */
      state: localCaseStateSchema.nullable(),
      /** 'hub': sent by the hub with this case, read-only (never on the worklist, never decided here). */
      source: z.enum(['cache', 'hub']),
      images: z.array(imageManifestEntrySchema),
      /** The latest decision signed on that case (in this cache, else the hub's), or null. */
      outcome: z
        .object({
          kind: z.enum(outcomeKinds as [OutcomeKind, ...OutcomeKind[]]),
          diagnosis: z.string().nullable(),
          signedAt: z.string(),
          signedBy: z.string().optional(),
          planSummary: z.string().optional(),
        })
        .nullable(),
    }),
  ),
});
export type CaseDetailData = z.infer<typeof caseDetailSchema>;

export const passOnTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('consultant'), consultantId: z.string().trim().min(1).max(100) }),
  z.object({ kind: z.literal('subspecialty'), subspecialty: z.string().trim().min(1).max(200) }),
  z.object({ kind: z.literal('pool') }),
]);

export const caseMethods = {
  'case.get': method(
    z.object({ caseId: z.string().uuid() }).strict(),
    caseDetailSchema,
    'The referral, draft, signed decisions and prior cases of the same patient; writes a case.viewed audit row.',
  ),
  'case.passOn': method(
    z.object({ caseId: z.string().uuid(), to: passOnTargetSchema, note: z.string().max(2000) }).strict(),
    z.object({ passedOnAt: z.string() }),
    'Hand the case to a named colleague, a subspecialty or back to the pool instead of deciding it.',
  ),
};
