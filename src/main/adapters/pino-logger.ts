import pino, { type DestinationStream } from 'pino';
import type { Logger } from '../core/logging/logger';

/**
 * The core's Logger as pino, for the Electron shell and the test host, with patient data
 * redacted before a line is written (a log file is not encrypted, is kept, and is sent with bug
 * reports). Three layers, because no single one sees everything:
 * - pino's `redact` paths remove patient-bearing keys at the top of a line and one level down;
 * - serializers turn the objects known to carry patients (a case record, a decision, an error)
 *   into what a reader of the log needs: ids, versions, counts, the error's type and message;
 * - the log formatter walks whatever is left, however deep, and censors the same keys, and the
 *   message text and error messages lose anything shaped like an NHS number or a date of birth.
 */

export const REDACTED = '[redacted]';

/**
 * Keys whose values are patient data wherever they appear: the patient's identity (NHS number,
 * names, date of birth, in the contract's camelCase and the cache's snake_case), the referral's
 * free text and the cache's stored JSON documents.
 */
export const PATIENT_KEYS = [
  'patient',
  'patientName',
  'patient_name',
  'nhsNumber',
  'nhs_number',
  'givenName',
  'familyName',
  'dateOfBirth',
  'date_of_birth',
  'referral',
  'presentingComplaint',
  'evolution',
  'symptoms',
  'history',
  'medication',
  'allergies',
  'riskFactors',
  'note',
  'notes',
  'plan',
  'record_json',
  'decision_json',
  'draft_json',
  'payload',
  'payload_json',
] as const;

const patientKeys = new Set<string>(PATIENT_KEYS);

/** Ten digits as an NHS number is written (grouped 3-3-4 or not), and a bare date (YYYY-MM-DD, not a timestamp). */
const NHS_NUMBER = /\b\d{3}[ -]?\d{3}[ -]?\d{4}\b/g;
const BARE_DATE = /\b\d{4}-\d{2}-\d{2}\b(?!T)/g;

/** Free text (a message, an error's message or stack) without NHS numbers or dates of birth. */
export function scrubText(text: string): string {
  return text.replace(NHS_NUMBER, '[nhs-number]').replace(BARE_DATE, '[date]');
}

/** A case record (CaseRecord) as the log may hold it: which case, which version, how many images. */
function caseSummary(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const r = value as { id?: unknown; version?: unknown; images?: unknown };
  return { id: r.id, version: r.version, images: Array.isArray(r.images) ? r.images.length : undefined };
}

/** A signed decision as the log may hold it: ids, version and outcome kind; never the plan or advice. */
function decisionSummary(value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  const d = value as { id?: unknown; caseId?: unknown; version?: unknown; outcome?: { kind?: unknown } };
  return { id: d.id, caseId: d.caseId, version: d.version, outcome: d.outcome?.kind };
}

/** Censors patient keys and scrubs strings at any depth (bounded: a log line is not a data dump). */
function scrub(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (!value || typeof value !== 'object') return value;
  if (depth > 8) return '[too deep]';
  // An error's message and stack are not enumerable: pino's serializer makes them plain fields
  // (its cause and own properties too), which are then scrubbed like the rest.
  if (value instanceof Error) value = pino.stdSerializers.err(value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    out[key] = patientKeys.has(key) ? REDACTED : scrub(v, depth + 1);
  }
  return out;
}

/**
 * A pino logger writing JSON lines to `destination` (a file stream in the app, stdout on the test
 * host), at `level` (default 'info').
 */
export function createPinoLogger(destination: DestinationStream, level = 'info'): Logger {
  return pino(
    {
      level,
      base: { app: 'dermdesk' },
      redact: { paths: PATIENT_KEYS.flatMap((key) => [key, `*.${key}`]), censor: REDACTED },
      serializers: {
        err: (value: unknown) => scrub(value, 0),
        error: (value: unknown) => scrub(value, 0),
        record: caseSummary,
        case: caseSummary,
        caseRecord: caseSummary,
        decision: decisionSummary,
      },
      formatters: { log: (object) => scrub(object, 0) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination,
  );
}
