import { z } from 'zod';
import { patientSchema } from '../domain/case';
import { consultantRefSchema, decisionContentSchema } from '../domain/decision';
import { practiceActionCodes } from '../domain/practice-actions';
import { intakeImageSchema } from './intake-api';

/**
 * The practice side of the hub: login, the outcome inbox, acknowledgement, answering a request
 * for more information. All routes except login need `Authorization: Bearer <token>` of a
 * practice account (role gp-practice).
 */

// POST /api/v1/practice/login
export const practiceLoginRequestSchema = z.object({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
});
export const practiceLoginResponseSchema = z.object({
  token: z.string().min(32),
  expiresAt: z.string().datetime(),
  practice: z.object({ odsCode: z.string(), name: z.string(), user: z.string() }),
});
export type PracticeLoginResponse = z.infer<typeof practiceLoginResponseSchema>;

export const inboxOutcomeSchema = decisionContentSchema.extend({
  decisionId: z.string().uuid(),
  version: z.number().int(),
  label: z.string(),
  description: z.string(),
  /** The signer as the hub's account has them (registered name), never as the upload claimed. */
  signedBy: consultantRefSchema,
  /** The consultant's GMC number from the hub's account, when recorded. */
  gmcNumber: z.string().nullable(),
  /** The workstation's signing time (its clock's claim: decisions are signed offline). */
  signedAt: z.string().datetime(),
  /** When the hub received the signed decision (the hub's own clock). */
  receivedByHubAt: z.string().datetime(),
  acknowledgedAt: z.string().datetime().nullable(),
  /** For a more-information outcome: when the practice answered it. */
  answeredAt: z.string().datetime().nullable(),
});
export type InboxOutcome = z.infer<typeof inboxOutcomeSchema>;

export const inboxItemSchema = z.object({
  caseId: z.string().uuid(),
  /** The short reference the hub's emails and the letter quote (caseReference): how a reader matches them. */
  reference: z.string(),
  patient: patientSchema,
  presentingComplaint: z.string(),
  receivedAt: z.string().datetime(),
  dueOn: z.string(),
  status: z.enum(['open', 'awaiting-information', 'decided', 'withdrawn']),
  /** The latest outcome, or null while awaiting triage. */
  outcome: inboxOutcomeSchema.nullable(),
  /** What the practice must do for the latest outcome (the letter's "Actions for the GP"). */
  actions: z.array(
    z.object({
      code: z.enum(practiceActionCodes),
      text: z.string(),
      priority: z.enum(['routine', 'urgent', 'asap']),
    }),
  ),
  /**
   * True while someone at the practice still has to act: an outcome that needs acknowledging
   * and is not acknowledged, or a request for more information not yet answered.
   */
  needsAction: z.boolean(),
});
export type InboxItem = z.infer<typeof inboxItemSchema>;

// GET /api/v1/practice/inbox[?filter=needs-action]
export const inboxFilterSchema = z.object({ filter: z.enum(['all', 'needs-action']).default('all') });
/** A patient link locked after too many wrong dates of birth: the practice should call the patient. */
export const lockedLinkSchema = z.object({
  linkId: z.string().uuid(),
  kind: z.enum(['new-referral', 'more-information']),
  patientName: z.string(),
  caseId: z.string().uuid().nullable(),
  failures: z.number().int(),
  lockedAt: z.string().datetime(),
});
export type LockedLink = z.infer<typeof lockedLinkSchema>;

export const inboxResponseSchema = z.object({
  items: z.array(inboxItemSchema),
  lockedLinks: z.array(lockedLinkSchema).default([]),
  /** The practice opted in to the patient's plain-language copy (GET …/patient-copy.pdf). */
  patientCopy: z.boolean().default(false),
});

// POST /api/v1/practice/outcomes/:decisionId/acknowledge → 200 { acknowledgedAt }
export const acknowledgeResponseSchema = z.object({ acknowledgedAt: z.string().datetime() });

// GET /api/v1/practice/outcomes/:decisionId/letter.pdf → application/pdf
// GET /api/v1/practice/outcomes/:decisionId/patient-copy.pdf → application/pdf (opted-in practices)

// POST /api/v1/practice/cases/:caseId/information → the case returns to triage
export const informationResponseSchema = z.object({
  note: z.string().trim().min(1, 'write what you are sending or answering').max(5000),
  /** Inline (small, the JSON door) or references to photographs streamed in first (intake-api.ts). */
  images: z.array(intakeImageSchema).max(12),
});
export type InformationResponse = z.infer<typeof informationResponseSchema>;
export const informationReceiptSchema = z.object({
  caseId: z.string().uuid(),
  version: z.number().int(),
  status: z.string(),
});
