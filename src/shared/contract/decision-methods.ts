import { z } from 'zod';
import { signedDecisionSchema } from '../domain/decision';
import { decisionFormSchema } from '../domain/decision-form';
import { method } from './define';

export const decisionMethods = {
  'decision.saveDraft': method(
    z.object({ caseId: z.string().uuid(), form: decisionFormSchema }).strict(),
    z.object({ savedAt: z.string() }),
    'Autosave the decision form (one draft per case).',
  ),
  'decision.discardDraft': method(
    z.object({ caseId: z.string().uuid() }).strict(),
    z.object({ discarded: z.literal(true) }),
    'Throw the draft away.',
  ),
  'decision.sign': method(
    z
      .object({
        caseId: z.string().uuid(),
        form: decisionFormSchema,
        /** For an amendment: the signed decision it replaces. */
        supersedes: z.string().uuid().nullable().default(null),
      })
      .strict(),
    signedDecisionSchema,
    'Sign (or amend): decision, outbox and audit rows in one transaction.',
  ),
  'decision.diagnosisPicks': method(
    z.object({}).strict(),
    z.object({ picks: z.array(z.object({ label: z.string(), count: z.number().int().positive() })) }),
    'How often the signed-in consultant chose each diagnosis in their signed decisions (the picker ranks by it).',
  ),
  'decision.letter': method(
    z.object({ decisionId: z.string().uuid() }).strict(),
    z.object({ path: z.string(), fileName: z.string(), bytes: z.number().int() }),
    'Write the outcome letter to the GP as a PDF in the data directory.',
  ),
  'decision.letterPreview': method(
    z.object({ caseId: z.string().uuid(), decisionId: z.string().uuid().optional() }).strict(),
    // Base64 of the PDF (a letter with its key image: well under 2 MB); drawn by the renderer.
    z.object({ pdfBase64: z.string(), draft: z.boolean() }),
    'The letter to the GP as a PDF to preview in the app: of a signed decision, or of the saved draft (marked DRAFT — not signed).',
  ),
};
