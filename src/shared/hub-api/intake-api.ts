import { z } from 'zod';
import {
  allowedImageMediaTypes,
  imageKindSchema,
  patientSchema,
  referralPrioritySchema,
  lesionSiteSchema,
} from '../domain/case';

/**
 * GP referral intake (JSON): what a practice's system or the hub's own web form sends. The hub
 * stamps `receivedAt` and the practice (from the practice's login), so neither is trusted from
 * the body. Images travel inline as base64 so one request is one referral: either the whole
 * referral lands or nothing does.
 */
export const MAX_INTAKE_IMAGES = 12;
/** Per image, decoded. A 12 MP phone JPEG is 3-6 MB; anything past this is not a photograph. */
export const MAX_IMAGE_BYTES = 15 * 1024 * 1024;
/** Short and long edge a consultant needs to see a lesion (HAM10000 dermoscopy is 600x450). */
export const MIN_IMAGE_EDGES = { short: 450, long: 600 } as const;

/**
 * One photograph of a referral or answer: either inline (`mediaType` + base64 `data`, the JSON
 * door kept for existing clients, bounded by its small body limit) or a reference to a
 * photograph already streamed in through an upload door (`uploadId` from POST
 * /uploads/photos or /patient-links/<token>/photos; upload-api.ts), which only its uploader may
 * cite. The hub takes the type from the uploaded bytes, so a reference needs no `mediaType`.
 */
export const intakeImageSchema = z
  .object({
    kind: imageKindSchema,
    mediaType: z.enum(allowedImageMediaTypes).optional(),
    /** Base64 of the original bytes (a zero-byte file is named as such, not "too small"). */
    data: z.string().min(1, 'the image is empty (0 bytes): attach the photograph again').optional(),
    uploadId: z.string().uuid('the upload reference is not one the hub issued: upload the photograph again').optional(),
    takenAt: z.string().datetime().optional(),
  })
  .superRefine((image, ctx) => {
    if ((image.data === undefined) === (image.uploadId === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [],
        message:
          image.data === undefined
            ? 'the photograph is missing: upload it (uploadId) or send it inline (data)'
            : 'send the photograph once: either uploadId or inline data, not both',
      });
    else if (image.data !== undefined && image.mediaType === undefined)
      ctx.addIssue({ code: 'custom', path: ['mediaType'], message: "say the inline photograph's type" });
  });
export type IntakeImage = z.infer<typeof intakeImageSchema>;

export const intakeConsentSchema = z.object({
  given: z.boolean(),
  recordedAt: z.string().datetime(),
  recordedBy: z.string().min(1).max(200),
});

export const intakeReferralSchema = z.object({
  priority: referralPrioritySchema,
  presentingComplaint: z.string().trim().min(1, 'presenting complaint is required').max(5000),
  duration: z.string().trim().min(1, 'duration is required').max(500),
  evolution: z.string().max(5000),
  site: lesionSiteSchema.extend({
    region: z.string().trim().min(1, 'choose the lesion site on the body map').max(100),
  }),
  symptoms: z.string().max(5000),
  history: z.string().max(10000),
  medication: z.string().max(5000),
  allergies: z.string().max(2000),
  riskFactors: z.array(z.string().max(200)).max(50),
  consent: intakeConsentSchema.nullable(),
});

export const intakeSubmissionSchema = z.object({
  patient: patientSchema,
  /** The referring clinician; the practice itself comes from the login. */
  clinician: z.string().trim().min(1, 'referring clinician is required').max(200),
  referral: intakeReferralSchema,
  images: z.array(intakeImageSchema).min(1, 'at least one image is required').max(MAX_INTAKE_IMAGES),
});
export type IntakeSubmission = z.infer<typeof intakeSubmissionSchema>;

/** One thing wrong with a submission, pointing at the field (dot path, e.g. `images.1.data`). */
export const fieldErrorSchema = z.object({ field: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** 422 body: every field error at once, so the sender fixes them in one pass. */
export const intakeRejectionSchema = z.object({
  error: z.object({ code: z.literal('validation'), message: z.string(), fields: z.array(fieldErrorSchema).min(1) }),
});
export type IntakeRejection = z.infer<typeof intakeRejectionSchema>;

// POST /api/v1/intake/referrals (application/json) and /api/v1/intake/fhir (application/fhir+json)
export const intakeReceiptSchema = z.object({
  caseId: z.string().uuid(),
  receivedAt: z.string().datetime(),
  dueOn: z.string(),
  imageCount: z.number().int().positive(),
});
export type IntakeReceipt = z.infer<typeof intakeReceiptSchema>;

/** The image quality report the web form shows at upload (POST /api/v1/intake/image-check). */
export const imageQualityIssues = ['resolution', 'blur', 'too-dark', 'too-bright'] as const;
export const imageQualityReportSchema = z.object({
  ok: z.boolean(),
  width: z.number().int(),
  height: z.number().int(),
  mediaType: z.enum(allowedImageMediaTypes),
  sharpness: z.number(),
  meanLuminance: z.number(),
  issues: z.array(z.object({ issue: z.enum(imageQualityIssues), message: z.string() })),
});
export type ImageQualityReport = z.infer<typeof imageQualityReportSchema>;
