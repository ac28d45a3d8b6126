import { z } from 'zod';

/**
 * The operator's view of the loop back to practices (role admin): messages not yet delivered
 * (queued, being retried, or failed for good, with the last error), outcomes escalated by the
 * failsafe and still unacknowledged, and each practice's settings.
 */

// GET /api/v1/ops/messages
export const opsMessageSchema = z.object({
  id: z.string().uuid(),
  channel: z.enum(['email', 'sms']),
  template: z.enum(['outcome-ready', 'information-requested', 'outcome-escalated', 'patient-link']),
  recipient: z.string(),
  reference: z.string(),
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().datetime(),
  lastError: z.string().nullable(),
  createdAt: z.string().datetime(),
});
export const opsMessagesResponseSchema = z.object({ messages: z.array(opsMessageSchema) });
export type OpsMessage = z.infer<typeof opsMessageSchema>;

// POST /api/v1/ops/messages/:id/retry → 200 { retried: true } | 409 (not failed)

// GET /api/v1/ops/failsafe
export const escalatedOutcomeSchema = z.object({
  caseId: z.string().uuid(),
  reference: z.string(),
  decisionId: z.string().uuid(),
  odsCode: z.string(),
  outcome: z.string(),
  dispatchedAt: z.string().datetime(),
  dueOn: z.string(),
  escalatedAt: z.string().datetime(),
});
export const failsafeResponseSchema = z.object({ escalated: z.array(escalatedOutcomeSchema) });
export type EscalatedOutcome = z.infer<typeof escalatedOutcomeSchema>;

// PUT /api/v1/ops/practices/:odsCode/settings
export const practiceSettingsSchema = z.object({
  mailbox: z.string().trim().email().max(320).nullable(),
  failsafeWorkingDays: z.number().int().min(1).max(30).default(2),
  patientCopy: z.boolean().default(false),
});
export type PracticeSettingsInput = z.input<typeof practiceSettingsSchema>;
