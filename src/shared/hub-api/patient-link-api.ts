import { z } from 'zod';
import { intakeImageSchema, intakeReferralSchema } from './intake-api';
import { patientSchema } from '../domain/case';
import { moreInformationItems } from '../domain/decision';

/**
 * Patient remote links. The practice creates a one-time link (default 7 days); the patient opens
 * /p/<token> on a phone, consents, adds images and symptoms; the link is then spent.
 * Link tokens are 43 base64url characters (256 random bits).
 */

/** What the practice already knows when it sends a link for a new referral. */
export const linkReferralDraftSchema = z.object({
  patient: patientSchema,
  clinician: z.string().trim().min(1).max(200),
  referral: intakeReferralSchema
    .pick({ priority: true, presentingComplaint: true, duration: true, site: true })
    .extend({
      evolution: z.string().max(5000).default(''),
      history: z.string().max(10000).default(''),
      medication: z.string().max(5000).default(''),
      allergies: z.string().max(2000).default(''),
      riskFactors: z.array(z.string().max(200)).max(50).default([]),
    }),
});
export type LinkReferralDraft = z.infer<typeof linkReferralDraftSchema>;

/**
 * Optional: the hub sends the link to the patient for the practice, by email (SMTP) or text
 * message (a GOV.UK Notify-shaped provider). The message holds the practice's name, the link and
 * its expiry only; the hub forgets the link once it is sent.
 */
export const sendLinkSchema = z.object({
  channel: z.enum(['email', 'sms']),
  to: z.string().trim().min(3).max(320),
});
export type SendLink = z.infer<typeof sendLinkSchema>;

// POST /api/v1/practice/patient-links (practice)
export const createLinkRequestSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('new-referral'),
    draft: linkReferralDraftSchema,
    days: z.number().int().min(1).max(14).default(7),
    send: sendLinkSchema.optional(),
  }),
  z.object({
    kind: z.literal('more-information'),
    caseId: z.string().uuid(),
    days: z.number().int().min(1).max(14).default(7),
    send: sendLinkSchema.optional(),
  }),
]);
export type CreateLinkRequest = z.input<typeof createLinkRequestSchema>;
export const createLinkResponseSchema = z.object({
  linkId: z.string().uuid(),
  /** Give this to the patient (SMS or email from the practice's own system); the hub keeps only its hash. */
  url: z.string(),
  token: z.string(),
  expiresAt: z.string().datetime(),
  /** When `send` was asked for: the message is queued (sent and retried by the hub's loop). */
  sent: z
    .object({ channel: z.enum(['email', 'sms']), messageId: z.string().uuid() })
    .nullable()
    .optional(),
});
export type CreateLinkResponse = z.infer<typeof createLinkResponseSchema>;

// GET /api/v1/patient-links/:token (the patient's page asks what the link is for)
export const linkInfoSchema = z.object({
  kind: z.enum(['new-referral', 'more-information']),
  practiceName: z.string(),
  givenName: z.string(),
  expiresAt: z.string().datetime(),
  /** For more-information links: what the consultant asked for. */
  requests: z.array(z.enum(moreInformationItems)),
  requestDetail: z.string(),
});
export type LinkInfo = z.infer<typeof linkInfoSchema>;

// POST /api/v1/patient-links/:token/submit
export const linkSubmissionSchema = z.object({
  consent: z.literal(true, { error: 'consent is needed before the photographs can be sent' }),
  /** The patient's own words; confirms who they are for the practice. */
  dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
  symptoms: z.string().trim().max(5000),
  images: z.array(intakeImageSchema).min(1, 'add at least one photograph').max(8),
});
export type LinkSubmission = z.infer<typeof linkSubmissionSchema>;
export const linkReceiptSchema = z.object({ received: z.literal(true), imageCount: z.number().int() });
