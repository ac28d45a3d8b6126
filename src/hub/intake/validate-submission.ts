import type { z } from 'zod';
import { isValidNhsNumber } from '../../shared/domain/nhs-number';
import { intakeSubmissionSchema, type FieldError, type IntakeSubmission } from '../../shared/hub-api/intake-api';
import { fieldMessage, plainFieldErrors } from '../../shared/hub-api/field-messages';
import { checkSubmittedImages, type UploadCiter, type ValidImage } from './submitted-images';

export type { ValidImage } from './submitted-images';

export type SubmissionCheck =
  { ok: true; submission: IntakeSubmission; images: ValidImage[] } | { ok: false; errors: FieldError[] };

/** zod's issues as the plain-English field errors of the one message table (field-messages.ts). */
export function zodFieldErrors(error: z.ZodError, body: unknown): FieldError[] {
  return plainFieldErrors(error, body);
}

/**
 * Every check a referral must pass before it becomes a case, all reported at once: the schema,
 * the NHS number's check digit, consent given, and each image's bytes (type, size, decodability,
 * resolution; or, cited by `uploadId`, that the upload is the sender's own). `now` is the hub's clock (a date of birth is "in the future" against the hub's today,
 * never the sender's); `rename` maps our field paths to the sender's (FHIR paths for a Bundle).
 */
export async function validateSubmission(
  body: unknown,
  options: { now: Date; rename?: (field: string) => string; uploads?: UploadCiter },
): Promise<SubmissionCheck> {
  const rename = options.rename ?? ((f: string) => f);
  const parsed = intakeSubmissionSchema.safeParse(body);
  const errors: FieldError[] = parsed.success
    ? []
    : zodFieldErrors(parsed.error, body).map((e) => ({ ...e, field: rename(e.field) }));
  const add = (field: string, message: string): void => {
    if (!errors.some((e) => e.field === rename(field))) errors.push({ field: rename(field), message });
  };
  // The clinical checks run on the raw body too, so one round trip reports every problem.
  const raw = (typeof body === 'object' && body !== null ? body : {}) as {
    patient?: { nhsNumber?: unknown; dateOfBirth?: unknown };
    referral?: { consent?: { given?: unknown } | null };
  };
  const nhs = raw.patient?.nhsNumber;
  if (typeof nhs === 'string' && /^\d{10}$/.test(nhs) && !isValidNhsNumber(nhs))
    add(
      'patient.nhsNumber',
      "The patient's NHS number is not valid: the check digit does not match (check for a mistyped digit)",
    );
  const dob = raw.patient?.dateOfBirth;
  if (typeof dob === 'string' && dob > options.now.toISOString().slice(0, 10))
    add('patient.dateOfBirth', "The patient's date of birth is in the future: check the year");
  const consent = raw.referral?.consent;
  if (raw.referral && !consent) add('referral.consent', fieldMessage('referral.consent', 'missing'));
  else if (consent && consent.given !== true)
    add('referral.consent.given', 'The patient has not consented: a referral without consent cannot be triaged');
  if (!parsed.success) return { ok: false, errors };
  const submission = parsed.data;

  const checked = await checkSubmittedImages(submission.images, options.uploads, rename);
  for (const e of checked.errors) if (!errors.some((x) => x.field === e.field)) errors.push(e);
  const images = checked.images;
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, submission, images };
}
