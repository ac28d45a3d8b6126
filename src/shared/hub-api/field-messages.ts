import type { z } from 'zod';
import type { FieldError } from './intake-api';

/**
 * The one table of what a GP or a patient reads when a field is wrong, in plain English and
 * naming the field, whatever check found it (the zod schemas, the hub's clinical checks, the
 * image checks). The pages show these sentences as they are: never a validator's own words
 * ("Too small: expected string to have >=1 characters").
 *
 * Keys are field paths as the hub reports them; `*` stands for an array index. A path under
 * `draft.` (a patient link's referral draft) reads the same row as the referral itself.
 */
export type FieldProblem = 'missing' | 'too-long' | 'too-many' | 'format' | 'choice' | 'other';

interface FieldRow {
  /** The field, as a person names it (used when a problem has no sentence of its own). */
  label: string;
  missing?: string;
  format?: string;
  choice?: string;
  tooLong?: string;
  tooMany?: string;
}

export const FIELD_MESSAGES: Readonly<Record<string, FieldRow>> = {
  // The GP form (and a practice's JSON or FHIR referral)
  'patient.nhsNumber': {
    label: "the patient's NHS number",
    missing: "Enter the patient's NHS number",
    format: "Enter the patient's NHS number as 10 digits, for example 943 476 5919",
  },
  'patient.givenName': {
    label: "the patient's given name",
    missing: "Enter the patient's given name",
    tooLong: "The patient's given name must be 100 characters or fewer",
  },
  'patient.familyName': {
    label: "the patient's family name",
    missing: "Enter the patient's family name",
    tooLong: "The patient's family name must be 100 characters or fewer",
  },
  'patient.dateOfBirth': {
    label: "the patient's date of birth",
    missing: "Enter the patient's date of birth",
    format: "Enter the patient's date of birth as a real date, for example 1948-02-29",
  },
  'patient.sex': {
    label: "the patient's sex",
    missing: "Choose the patient's sex",
    choice: "Choose the patient's sex",
  },
  clinician: {
    label: 'the referring clinician',
    missing: "Enter the referring clinician's name",
    tooLong: "The referring clinician's name must be 200 characters or fewer",
  },
  'referral.priority': {
    label: 'the priority',
    missing: 'Choose how urgent the referral is',
    choice: 'Choose how urgent the referral is: routine, urgent or suspected cancer',
  },
  'referral.presentingComplaint': {
    label: 'the presenting complaint',
    missing: 'Describe the presenting complaint',
    tooLong: 'The presenting complaint must be 5,000 characters or fewer',
  },
  'referral.duration': {
    label: 'the duration',
    missing: 'Say how long the patient has had the lesion',
    tooLong: 'The duration must be 500 characters or fewer',
  },
  'referral.evolution': {
    label: 'how it has changed',
    tooLong: 'How it has changed must be 5,000 characters or fewer',
  },
  'referral.site.region': {
    label: 'the lesion site',
    missing: 'Choose the lesion site on the body map',
    format: 'Choose the lesion site on the body map',
  },
  'referral.site.description': {
    label: 'the site description',
    tooLong: 'The site description must be 500 characters or fewer',
  },
  'referral.symptoms': { label: 'the symptoms', tooLong: 'The symptoms must be 5,000 characters or fewer' },
  'referral.history': { label: 'the history', tooLong: 'The history must be 10,000 characters or fewer' },
  'referral.medication': { label: 'the medication', tooLong: 'The medication must be 5,000 characters or fewer' },
  'referral.allergies': { label: 'the allergies', tooLong: 'The allergies must be 2,000 characters or fewer' },
  'referral.riskFactors': { label: 'the risk factors', tooMany: 'Choose at most 50 risk factors' },
  'referral.consent': {
    label: 'consent',
    missing: "Record the patient's consent to the referral before sending it",
  },
  images: {
    label: 'the photographs',
    missing: 'Add at least one photograph',
    tooMany: 'Send at most 12 photographs with one referral',
  },
  'images.*.kind': {
    label: 'what the photograph shows',
    missing: 'Choose what the photograph shows: overview, close-up or dermoscopy',
    choice: 'Choose what the photograph shows: overview, close-up or dermoscopy',
  },
  'images.*.mediaType': {
    label: "the photograph's type",
    choice: 'The photograph must be a JPEG, PNG or WebP image',
    missing: 'The photograph must be a JPEG, PNG or WebP image',
  },
  'images.*.data': { label: 'the photograph', missing: 'The photograph is empty (0 bytes): attach it again' },
  'images.*.uploadId': {
    label: 'the uploaded photograph',
    format: 'The upload reference is not one the hub issued: upload the photograph again',
  },

  // The patient's page
  consent: {
    label: 'your consent',
    missing: 'Tick the box to agree to send your photographs to the clinic',
    choice: 'Tick the box to agree to send your photographs to the clinic',
  },
  dateOfBirth: {
    label: 'your date of birth',
    missing: 'Enter your date of birth',
    format: 'Enter your date of birth as day, month and year',
  },
  symptoms: { label: 'your description', tooLong: 'Keep your description to 5,000 characters or fewer' },

  // The feedback form
  rating: { label: 'your rating', missing: 'Choose a rating from 1 to 5', format: 'Choose a rating from 1 to 5' },
  comment: { label: 'your comment', tooLong: 'Keep your comment to 2,000 characters or fewer' },

  // A practice's answer to a request for more information
  note: {
    label: 'your answer',
    missing: 'Write what you are sending or answering',
    tooLong: 'Your answer must be 5,000 characters or fewer',
  },
};

/** The row for a field path (indices as `*`, a link draft's `draft.` prefix dropped). */
function rowOf(field: string): FieldRow | undefined {
  const key = field.replace(/^draft\./, '').replace(/\.\d+(?=\.|$)/g, '.*');
  return FIELD_MESSAGES[key];
}

/** "images.1.data" → "Photograph 2: " (which photograph, when there are several). */
function photographPrefix(field: string): string {
  const n = /^(?:draft\.)?images\.(\d+)\./.exec(field);
  return n ? `Photograph ${Number(n[1]) + 1}: ` : '';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The sentence for one problem with one field; `detail` is a checker's own specific reason. */
export function fieldMessage(field: string, problem: FieldProblem, detail?: string): string {
  const row = rowOf(field);
  const label = row?.label ?? humanise(field);
  const own =
    problem === 'missing'
      ? row?.missing
      : problem === 'format'
        ? row?.format
        : problem === 'choice'
          ? row?.choice
          : problem === 'too-long'
            ? row?.tooLong
            : problem === 'too-many'
              ? row?.tooMany
              : undefined;
  const prefix = photographPrefix(field);
  if (own) return `${prefix}${own}`;
  if (detail) return prefix ? `${prefix}${detail}` : capitalise(detail);
  switch (problem) {
    case 'missing':
      return `Enter ${label}`;
    case 'too-long':
      return `${capitalise(label)} is too long`;
    case 'too-many':
      return `${capitalise(label)}: too many items`;
    case 'choice':
      return `Choose one of the options for ${label}`;
    default:
      return `Check ${label}: it is not in the expected form`;
  }
}

function humanise(field: string): string {
  const last =
    field
      .split('.')
      .filter((p) => !/^\d+$/.test(p))
      .pop() ?? 'this field';
  return `the ${last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`;
}

/** The value at a field path of an untrusted body (to tell an empty field from a malformed one). */
function valueAt(body: unknown, path: PropertyKey[]): unknown {
  let at: unknown = body;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

const empty = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * zod's issues as plain-English field errors from the table. `body` is what was sent, so an
 * empty field reads "Enter …" whichever check caught it (a regex, a minimum length, a type).
 */
export function plainFieldErrors(error: z.ZodError, body: unknown): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of error.issues) {
    const field = issue.path.map(String).join('.') || '(body)';
    if (seen.has(field)) continue;
    seen.add(field);
    const value = valueAt(body, issue.path);
    let problem: FieldProblem;
    if (issue.code === 'too_small')
      problem = issue.origin === 'array' || issue.origin === 'string' || empty(value) ? 'missing' : 'format';
    else if (issue.code === 'too_big')
      problem = issue.origin === 'array' ? 'too-many' : issue.origin === 'string' ? 'too-long' : 'format';
    else if (empty(value)) problem = 'missing';
    else if (issue.code === 'invalid_value') problem = 'choice';
    else if (issue.code === 'invalid_format' || issue.code === 'custom') problem = 'format';
    else problem = 'other';
    // The schema's own words are kept only where they were written for people (they start lower case
    // and say what to do); zod's defaults ("Too small: expected …", "Invalid input: …") never are.
    const written = /^[a-z]/.test(issue.message) ? issue.message : undefined;
    out.push({ field, message: fieldMessage(field, problem, written) });
  }
  return out;
}
