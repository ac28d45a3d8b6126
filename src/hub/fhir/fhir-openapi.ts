import { z } from 'zod';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import {
  failsafeResponseSchema,
  opsMessagesResponseSchema,
  practiceSettingsSchema,
} from '../../shared/hub-api/loop-api';
import { NHS_NUMBER_SYSTEM } from '../../shared/hub-api/fhir-bundle';

/**
 * /openapi.json entries for FHIR R4 out and the operator's loop routes (merged into the hub's
 * document by openapi.ts). FHIR bodies are described by reference to the FHIR R4 specification,
 * not re-modelled here; the operator routes by the same zod schemas the routes use.
 */
const fhirJson = (description: string) => ({
  description,
  content: { 'application/fhir+json': { schema: { type: 'object', description: `${description} (FHIR R4 JSON)` } } },
});
const outcomeOutcome = (description: string) => ({
  description,
  content: {
    'application/fhir+json': { schema: { type: 'object', description: 'A FHIR R4 OperationOutcome' } },
  },
});
const searchParameters = [
  {
    name: '_lastUpdated',
    in: 'query',
    required: false,
    description: 'FHIR date with an optional prefix eq, gt, ge, lt, le; repeat to bound both ends',
    schema: { type: 'string', example: 'gt2026-12-01T09:00:00Z' },
  },
  {
    name: 'patient.identifier',
    in: 'query',
    required: false,
    description: `The patient's NHS number, optionally with its system: ${NHS_NUMBER_SYSTEM}|<10 digits> (also accepted as patient:identifier or subject:identifier)`,
    schema: { type: 'string' },
  },
  {
    name: 'status',
    in: 'query',
    required: false,
    description: "The resource's status codes, comma-separated",
    schema: { type: 'string' },
  },
  { name: '_count', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
  { name: '_offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
];
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const errors = {
  '400': outcomeOutcome('A search parameter is unknown or malformed (named in expression)'),
  '401': outcomeOutcome('No or expired token'),
  '403': outcomeOutcome('Not a GP practice account'),
};
const RESOURCES: Record<string, string> = {
  ServiceRequest: 'The referral (id = case id); status active, on-hold (awaiting information), completed or revoked',
  DiagnosticReport:
    "The consultant's outcome (id = decision id): diagnosis coded in SNOMED CT (conclusionCode), outcome and plan (conclusion), the letter PDF (presentedForm, a Binary URL)",
  Task: 'One per action the practice owes for the latest outcome (id = <decision id>-<action>); requested until the practice acknowledges, then completed',
};

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) },
});

export function fhirAndLoopOpenApiPaths(): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {
    '/fhir/r4/metadata': {
      get: { summary: 'FHIR CapabilityStatement', security: [], responses: { '200': fhirJson('CapabilityStatement') } },
    },
    '/fhir/r4/Binary/{id}': {
      get: {
        summary: 'The outcome letter of a decision (id = decision id), as the practice receives it',
        security: [{ bearer: [] }],
        parameters: [idParam],
        responses: {
          '200': {
            description: 'The letter',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
          '404': outcomeOutcome('No such letter for your practice'),
          ...errors,
        },
      },
    },
  };
  for (const [type, description] of Object.entries(RESOURCES)) {
    paths[`/fhir/r4/${type}`] = {
      get: {
        summary: `Search ${type} (practice's own cases; oldest change first). ${description}`,
        security: [{ bearer: [] }],
        parameters: searchParameters,
        responses: { '200': fhirJson('Bundle of type searchset'), ...errors },
      },
    };
    paths[`/fhir/r4/${type}/{id}`] = {
      get: {
        summary: `Read one ${type}`,
        security: [{ bearer: [] }],
        parameters: [idParam],
        responses: { '200': fhirJson(type), '404': outcomeOutcome('Not found for your practice'), ...errors },
      },
    };
  }
  const P = `${HUB_API_PREFIX}/ops`;
  const opsErrors = { '401': { description: 'Error' }, '403': { description: 'Not the operator' } };
  paths[`${P}/messages`] = {
    get: {
      summary: 'Messages not delivered yet (queued, retrying, or failed with the last error)',
      security: [{ bearer: [] }],
      responses: { '200': { description: 'OK', content: json(opsMessagesResponseSchema) }, ...opsErrors },
    },
  };
  paths[`${P}/messages/{id}/retry`] = {
    post: {
      summary: 'Send a failed message again',
      security: [{ bearer: [] }],
      parameters: [idParam],
      responses: {
        '200': { description: 'Queued again' },
        '409': { description: 'Not a failed message' },
        ...opsErrors,
      },
    },
  };
  paths[`${P}/failsafe`] = {
    get: {
      summary: 'Outcomes needing practice action, escalated and still unacknowledged',
      security: [{ bearer: [] }],
      responses: { '200': { description: 'OK', content: json(failsafeResponseSchema) }, ...opsErrors },
    },
  };
  paths[`${P}/practices/{odsCode}/settings`] = {
    put: {
      summary: "A practice's shared mailbox, failsafe working days (default 2) and patient-copy opt-in",
      security: [{ bearer: [] }],
      parameters: [{ name: 'odsCode', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: {
        required: true,
        content: { 'application/json': { schema: z.toJSONSchema(practiceSettingsSchema, { io: 'input' }) } },
      },
      responses: { '200': { description: 'Saved' }, '422': { description: 'Invalid settings' }, ...opsErrors },
    },
  };
  return paths;
}
