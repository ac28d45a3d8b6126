import type { z } from 'zod';
import { HUB_API_PREFIX } from '../shared/hub-api/consultant-api';
import {
  accountListResponseSchema,
  accountResponseSchema,
  accountWithPasswordResponseSchema,
  newAccountRequestSchema,
} from '../shared/hub-api/account-api';
import { dashboardSchema } from '../shared/hub-api/dashboard-api';
import { feedbackReportSchema, feedbackRequestSchema } from '../shared/hub-api/feedback-api';
import {
  imageQualityReportSchema,
  intakeReceiptSchema,
  intakeRejectionSchema,
  intakeSubmissionSchema,
} from '../shared/hub-api/intake-api';
import {
  createLinkRequestSchema,
  createLinkResponseSchema,
  linkInfoSchema,
  linkReceiptSchema,
  linkSubmissionSchema,
} from '../shared/hub-api/patient-link-api';
import { photoUploadReceiptSchema } from '../shared/hub-api/upload-api';
import {
  acknowledgeResponseSchema,
  inboxResponseSchema,
  informationReceiptSchema,
  informationResponseSchema,
  practiceLoginRequestSchema,
  practiceLoginResponseSchema,
} from '../shared/hub-api/practice-api';

/**
 * /openapi.json entries for the hub's other doors: GP intake, the practice inbox, patient links,
 * feedback, the dashboard and the web pages. Keyed like route-policies.ts ("METHOD /path"), so
 * openapi.ts can lay each entry beside its policy (who may call it, how large a body). Bodies
 * are described by the same zod schemas the routes validate with.
 */
export interface DoorDoc {
  summary: string;
  /** JSON body (zod), a FHIR resource, or the raw bytes of one photograph. */
  request?: z.ZodType | 'fhir-bundle' | 'image';
  /** JSON answer (zod), or one of the other media the route answers with. */
  response?: z.ZodType | 'html' | 'pdf' | 'fhir-bundle' | 'css-or-js';
  /** The JSON answer is also served as CSV (?format=csv). */
  alsoCsv?: boolean;
  status?: number;
  /** The error answers (each the hub's `{ error: { code, message, field? } }` shape). */
  errors: number[];
}

const A = HUB_API_PREFIX;
/**
 * The upload checks take the photograph with whatever type the browser labels it: the bytes
 * decide (JPEG, PNG and WebP are accepted; HEIC/HEIF, GIF, TIFF, BMP, AVIF, SVG, HTML and PDF
 * are refused naming the type and what is accepted: intake/image-format.ts).
 */
export const PHOTO_REQUEST_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/octet-stream', '*/*'];

export const doorDocs: Readonly<Record<string, DoorDoc>> = {
  [`POST ${A}/intake/referrals`]: {
    summary:
      'Refer a patient (JSON; each photograph an uploadId from POST /uploads/photos, or inline base64 within the 8 MiB JSON limit). 422 lists every field to fix, each with a plain-English message',
    request: intakeSubmissionSchema,
    response: intakeReceiptSchema,
    status: 201,
    errors: [400, 401, 403, 409, 413, 415, 422],
  },
  [`POST ${A}/intake/fhir`]: {
    summary: 'Refer a patient as a FHIR R4 transaction Bundle; answers a transaction-response Bundle',
    request: 'fhir-bundle',
    response: 'fhir-bundle',
    errors: [400, 401, 403, 413, 415, 422],
  },
  [`POST ${A}/intake/image-check`]: {
    summary: 'Check one photograph while the patient is still there: resolution, blur and exposure',
    request: 'image',
    response: imageQualityReportSchema,
    errors: [401, 413, 415, 422],
  },
  [`POST ${A}/uploads/photos`]: {
    summary:
      "Upload one photograph (its own bytes, the file's own Content-Type), streamed to the store; answers the uploadId a referral or answer then cites. Only this practice account may cite it; uncited uploads are deleted after a day",
    request: 'image',
    response: photoUploadReceiptSchema,
    status: 201,
    errors: [400, 401, 403, 413, 422],
  },
  [`POST ${A}/practice/login`]: {
    summary: "Sign in as a GP practice; returns the practice's expiring bearer token",
    request: practiceLoginRequestSchema,
    response: practiceLoginResponseSchema,
    errors: [400, 401, 403, 429],
  },
  [`GET ${A}/practice/inbox`]: {
    summary: "The practice's referrals, outcomes to act on, and patient links locked by wrong dates of birth",
    response: inboxResponseSchema,
    errors: [401, 403],
  },
  [`POST ${A}/practice/cases/:caseId/outcomes/:decisionId/acknowledge`]: {
    summary: 'Acknowledge an outcome (stops its failsafe escalation)',
    response: acknowledgeResponseSchema,
    errors: [401, 403, 404],
  },
  [`GET ${A}/practice/cases/:caseId/outcomes/:decisionId/letter.pdf`]: {
    summary: "The outcome letter: the consultant's registered name, GMC number, signing and receipt times",
    response: 'pdf',
    errors: [401, 403, 404],
  },
  [`GET ${A}/practice/cases/:caseId/outcomes/:decisionId/patient-copy.pdf`]: {
    summary:
      "The patient's copy of the outcome in plain language (practices that opted in; 409 patient-copy-off otherwise)",
    response: 'pdf',
    errors: [401, 403, 404, 409],
  },
  [`POST ${A}/practice/cases/:caseId/information`]: {
    summary: 'Answer a request for more information (note and photographs); the case returns to triage',
    request: informationResponseSchema,
    response: informationReceiptSchema,
    errors: [400, 401, 403, 404, 409, 413, 422],
  },
  [`POST ${A}/practice/patient-links`]: {
    summary: 'Create a one-time patient link (new referral or more information), optionally sent by email or SMS',
    request: createLinkRequestSchema,
    response: createLinkResponseSchema,
    status: 201,
    errors: [400, 401, 403, 404, 409, 422],
  },
  ['GET /p/:token']: {
    summary: "The patient's page behind a one-time link (the token is the credential)",
    response: 'html',
    errors: [403, 404, 410, 429],
  },
  [`GET ${A}/patient-links/:token`]: {
    summary: 'What a patient link is for (practice, first name, what the consultant asked)',
    response: linkInfoSchema,
    errors: [403, 404, 410, 429],
  },
  [`POST ${A}/patient-links/:token/image-check`]: {
    summary: "Check one of the patient's photographs at upload: resolution, blur and exposure",
    request: 'image',
    response: imageQualityReportSchema,
    errors: [403, 404, 410, 413, 415, 422, 429],
  },
  [`POST ${A}/patient-links/:token/photos`]: {
    summary:
      "Upload one of the patient's photographs, streamed to the store; answers the uploadId the submission then cites (only through this link)",
    request: 'image',
    response: photoUploadReceiptSchema,
    status: 201,
    errors: [400, 403, 404, 410, 413, 422, 429],
  },
  [`POST ${A}/patient-links/:token/submit`]: {
    summary:
      "Send the patient's photographs (date of birth confirms who they are; 5 wrong dates lock the link and tell the practice)",
    request: linkSubmissionSchema,
    response: linkReceiptSchema,
    errors: [400, 403, 404, 410, 413, 422, 429],
  },
  [`POST ${A}/feedback`]: {
    summary: 'Leave feedback (patients and practices; no sign-in)',
    request: feedbackRequestSchema,
    status: 201,
    errors: [400, 413, 422, 429],
  },
  [`GET ${A}/feedback`]: {
    summary: 'Feedback received (JSON, or CSV with ?format=csv)',
    response: feedbackReportSchema,
    alsoCsv: true,
    errors: [401, 403],
  },
  [`GET ${A}/dashboard`]: {
    summary: 'Service figures: referrals, turnaround against target, outcomes, upload quality',
    response: dashboardSchema,
    errors: [401, 403],
  },
  ['GET /gp']: { summary: "The GP's referral form (web page)", response: 'html', errors: [] },
  ['GET /gp/inbox']: { summary: "The practice's inbox (web page)", response: 'html', errors: [] },
  [`GET ${A}/ops/accounts`]: {
    summary: 'List accounts (consultants, GP practices, operators), optionally ?role=; never a password',
    response: accountListResponseSchema,
    errors: [400, 401, 403],
  },
  [`POST ${A}/ops/accounts`]: {
    summary:
      'Create a consultant (GMC number, subspecialties), GP practice (ODS code) or operator account; the temporary password is answered once and must be replaced at first sign-in. Audited',
    request: newAccountRequestSchema,
    response: accountWithPasswordResponseSchema,
    status: 201,
    errors: [400, 401, 403, 409, 422],
  },
  [`POST ${A}/ops/accounts/:username/deactivate`]: {
    summary: 'Deactivate an account: its sessions end and it cannot sign in. Audited',
    response: accountResponseSchema,
    errors: [401, 403, 404],
  },
  [`POST ${A}/ops/accounts/:username/reactivate`]: {
    summary: 'Reactivate a deactivated account. Audited',
    response: accountResponseSchema,
    errors: [401, 403, 404],
  },
  [`POST ${A}/ops/accounts/:username/reset-password`]: {
    summary:
      'Reset a password: a new temporary one, answered once; every session of the account ends and the user chooses their own at next sign-in. Audited',
    response: accountWithPasswordResponseSchema,
    errors: [401, 403, 404],
  },
  ['GET /ops']: { summary: "The operator's dashboard (web page)", response: 'html', errors: [] },
  ['GET /feedback']: { summary: 'The feedback form (web page)', response: 'html', errors: [] },
  ['GET /account/password']: {
    summary: 'Choose your own password after the service set one (web page)',
    response: 'html',
    errors: [],
  },
  ['GET /assets/:name']: { summary: "The web pages' own scripts and styles", response: 'css-or-js', errors: [404] },
};

/** Referral rejections carry the fields to fix; every other error is the hub's error shape. */
export const doorErrorSchemas: Readonly<Record<string, z.ZodType>> = {
  [`POST ${A}/intake/referrals 422`]: intakeRejectionSchema,
};
