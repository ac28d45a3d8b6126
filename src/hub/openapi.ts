import { changePasswordRequestSchema } from '../shared/hub-api/account-api';
import { z } from 'zod';
import { annotationsReceiptSchema, annotationsUploadSchema } from '../shared/hub-api/annotations-api';
import {
  HUB_API_PREFIX,
  assignedResponseSchema,
  caseResponseSchema,
  changesResponseSchema,
  claimRequestSchema,
  claimResponseSchema,
  decisionReceiptSchema,
  decisionUploadSchema,
  hubErrorSchema,
  loginRequestSchema,
  loginResponseSchema,
} from '../shared/hub-api/consultant-api';
import {
  auditIngestRequestSchema,
  auditIngestResponseSchema,
  passOnRequestSchema,
  passOnResponseSchema,
} from '../shared/hub-api/consultant-api-extras';
import {
  sealedReviewResponseSchema,
  sealedUploadRequestSchema,
  sealedUploadResponseSchema,
  sealingKeyResponseSchema,
} from '../shared/hub-api/sealed-outbox';

import { doorDocs, doorErrorSchemas, PHOTO_REQUEST_TYPES, type DoorDoc } from './door-openapi';
import { fhirAndLoopOpenApiPaths } from './fhir/fhir-openapi';
import { routePolicies, type RouteAccess } from './http/route-policies';

interface RouteDoc {
  method: 'get' | 'post' | 'put';
  path: string;
  summary: string;
  auth: boolean;
  request?: z.ZodType;
  response?: z.ZodType;
  status?: number;
  headers?: { name: string; required: boolean; description: string }[];
  errors: number[];
  binary?: boolean;
}

const P = HUB_API_PREFIX;
const caseIdParam = { name: 'caseId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };

/** The routes, described once, with the same zod schemas the hub validates with. */
export const routeDocs: RouteDoc[] = [
  {
    method: 'post',
    path: `${P}/auth/login`,
    summary: 'Sign in; returns an expiring bearer token',
    auth: false,
    request: loginRequestSchema,
    response: loginResponseSchema,
    errors: [400, 401, 403, 413, 429],
  },
  {
    method: 'post',
    path: `${P}/auth/password`,
    summary:
      'Choose your own password after the service set one (a new account, a reset); 204 when done. Sign-in answers 403 password-change-required until then',
    auth: false,
    request: changePasswordRequestSchema,
    errors: [400, 401, 403, 422, 429],
  },
  {
    method: 'post',
    path: `${P}/auth/logout`,
    summary: 'Revoke the presented token',
    auth: true,
    status: 204,
    errors: [401],
  },
  {
    method: 'post',
    path: `${P}/batches/claim`,
    summary: 'Lease the next N unassigned cases (urgency, then due date)',
    auth: true,
    request: claimRequestSchema,
    response: claimResponseSchema,
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: `${P}/assigned`,
    summary: 'Cases currently leased to the caller',
    auth: true,
    response: assignedResponseSchema,
    errors: [401, 403],
  },
  {
    method: 'get',
    path: `${P}/cases/{caseId}`,
    summary: 'One case with its image manifest and the consultant\'s marks on its images; ETag "<version>"',
    auth: true,
    response: caseResponseSchema,
    errors: [401, 403, 404, 409],
  },
  {
    method: 'get',
    path: `${P}/images/{sha256}`,
    summary: 'Original image bytes; Range (single), strong ETag "<sha256>", If-Range',
    auth: true,
    binary: true,
    errors: [401, 403, 404, 416],
  },
  {
    method: 'get',
    path: `${P}/changes`,
    summary: 'Changes feed after a cursor (withdrawn, updated, reassigned)',
    auth: true,
    response: changesResponseSchema,
    errors: [400, 401, 403],
  },
  {
    method: 'put',
    path: `${P}/cases/{caseId}/decisions/{decisionId}`,
    summary: 'Upload a signed decision (or an amendment)',
    auth: true,
    request: decisionUploadSchema,
    response: decisionReceiptSchema,
    status: 201,
    headers: [
      {
        name: 'Idempotency-Key',
        required: true,
        description: 'The decision id (IETF Idempotency-Key draft semantics)',
      },
      { name: 'If-Match', required: true, description: 'The case version decided on, quoted: "3"' },
    ],
    errors: [400, 401, 403, 404, 409, 412, 413, 422, 428],
  },
  {
    method: 'post',
    path: `${P}/cases/{caseId}/pass-on`,
    summary: 'Hand a case back for reassignment',
    auth: true,
    request: passOnRequestSchema,
    response: passOnResponseSchema,
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'post',
    path: `${P}/audit`,
    summary: 'Store workstation audit rows (append-only, idempotent by seq)',
    auth: true,
    request: auditIngestRequestSchema,
    response: auditIngestResponseSchema,
    errors: [400, 401, 403, 413],
  },
  {
    method: 'get',
    path: `${P}/sealing-key`,
    summary: "The hub's X25519 public key, to seal the workstation's outbox journal to",
    auth: true,
    response: sealingKeyResponseSchema,
    errors: [401, 403, 503],
  },
  {
    method: 'post',
    path: `${P}/sealed-outbox`,
    summary: 'Deliver sealed journal entries of a workstation cache whose key was lost (per-entry results)',
    auth: true,
    request: sealedUploadRequestSchema,
    response: sealedUploadResponseSchema,
    errors: [400, 401, 403, 413, 503],
  },
  {
    method: 'get',
    path: `${P}/sealed-outbox/review`,
    summary: 'Recovered entries waiting for an operator (admin)',
    auth: true,
    response: sealedReviewResponseSchema,
    errors: [401, 403],
  },
  {
    method: 'put',
    path: `${P}/cases/{caseId}/images/{sha256}/annotations`,
    summary: "Replace the consultant's marks on one image of a case (new version = If-Match + 1)",
    auth: true,
    request: annotationsUploadSchema,
    response: annotationsReceiptSchema,
    headers: [
      {
        name: 'If-Match',
        required: true,
        description: 'The quoted annotation version the edit was based on ("0" when there were none); stale → 412',
      },
      {
        name: 'Idempotency-Key',
        required: true,
        description: "The workstation's save id: a resend of the same save is answered again",
      },
    ],
    errors: [400, 401, 403, 404, 409, 412, 413, 422, 428],
  },
  { method: 'get', path: '/openapi.json', summary: 'This document', auth: false, errors: [] },
  { method: 'get', path: '/healthz', summary: 'The process answers (liveness)', auth: false, errors: [] },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Ready: the database and the object store are reachable (503 names the part that is not)',
    auth: false,
    errors: [503],
  },
  {
    method: 'get',
    path: '/metrics',
    summary:
      'Prometheus metrics: request latency by route, claims, intake, decision receipts, errors (no patient data); 404 when the hub has no scrape token',
    auth: true,
    errors: [401, 404],
  },
];

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
}

/** OpenAPI 3.1 (whose schemas are JSON Schema 2020-12, what z.toJSONSchema emits). */
export function buildOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routeDocs) {
    const parameters: unknown[] = [];
    for (const name of r.path.match(/\{(\w+)\}/g) ?? []) {
      const n = name.slice(1, -1);
      parameters.push(
        n === 'caseId' ? caseIdParam : { name: n, in: 'path', required: true, schema: { type: 'string' } },
      );
    }
    if (r.path.endsWith('/changes'))
      parameters.push({ name: 'after', in: 'query', required: false, schema: { type: 'integer', minimum: 0 } });
    for (const h of r.headers ?? [])
      parameters.push({
        name: h.name,
        in: 'header',
        required: h.required,
        description: h.description,
        schema: { type: 'string' },
      });
    const responses: Record<string, unknown> = {};
    const ok = String(r.status ?? 200);
    if (r.binary) {
      responses['200'] = {
        description: 'The bytes',
        content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
      };
      responses['206'] = {
        description: 'The requested byte range',
        content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
      };
    } else if (r.response) {
      responses[ok] = {
        description: 'OK',
        content: { 'application/json': { schema: schemaOf(r.response, 'output') } },
      };
    } else {
      responses[ok] = { description: 'OK' };
    }
    for (const status of r.errors) {
      responses[String(status)] = {
        description: 'Error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/HubError' } } },
      };
    }
    paths[r.path] = {
      ...paths[r.path],
      [r.method]: {
        summary: r.summary,
        ...(r.auth ? { security: [{ bearer: [] }] } : { security: [] }),
        ...(parameters.length ? { parameters } : {}),
        ...(r.request
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: schemaOf(r.request, 'input') } },
              },
            }
          : {}),
        responses,
      },
    };
  }
  Object.assign(paths, fhirAndLoopOpenApiPaths());
  layPolicies(paths);
  return {
    openapi: '3.1.0',
    info: {
      title: 'DermDesk referral hub',
      version: '1',
      description:
        'Every route the hub serves: the consultant sync API, GP intake (JSON and FHIR), the practice inbox, patient links, FHIR R4 out, the operator routes, feedback, the dashboard and the web pages. x-access says who may call a route and x-body-limit the largest body it reads (both from src/hub/http/route-policies.ts); the access check runs before any byte of the body is read.',
    },
    paths,
    components: {
      schemas: { HubError: schemaOf(hubErrorSchema, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        patientLink: {
          type: 'apiKey',
          in: 'header',
          name: 'x-not-used',
          description: 'The one-time link token is the {token} path segment itself; no header is sent.',
        },
      },
    },
  };
}

const toOpenApiPath = (url: string): string => url.replace(/:(\w+)/g, '{$1}');

function securityOf(access: RouteAccess): unknown[] {
  if (access.kind === 'token') return [{ bearer: [] }];
  if (access.kind === 'patient-link') return [{ patientLink: [] }];
  if (access.kind === 'metrics-scraper') return [{ bearer: [] }];
  return [];
}

function describeAccess(access: RouteAccess): string {
  if (access.kind === 'token') return access.role === 'any' ? 'any signed-in account' : access.who;
  if (access.kind === 'patient-link') return 'whoever holds the one-time link (the {token} in the path)';
  if (access.kind === 'metrics-scraper') return 'the metrics scraper (the DERMDESK_HUB_METRICS_TOKEN bearer token)';
  return 'anyone';
}

/**
 * Every route in route-policies.ts gets its document entry here: the hand-written consultant and
 * FHIR entries are kept, the doors' entries are built from door-openapi.ts, and each carries who
 * may call it and its body limit from the policy (so the document cannot drift from what the hub
 * enforces). A policy with no description still appears, marked undocumented (a test fails on it).
 */
function layPolicies(paths: Record<string, Record<string, unknown>>): void {
  for (const [key, policy] of Object.entries(routePolicies)) {
    const [method, url] = key.split(' ') as [string, string];
    const path = toOpenApiPath(url);
    const verb = method.toLowerCase();
    const existing = paths[path]?.[verb] as Record<string, unknown> | undefined;
    const door = doorDocs[key];
    const op = existing ?? (door ? doorOperation(key, path, door) : { summary: 'UNDOCUMENTED', responses: {} });
    paths[path] = {
      ...paths[path],
      [verb]: {
        ...op,
        security: securityOf(policy.access),
        'x-access': describeAccess(policy.access),
        'x-body-limit': policy.bodyLimit,
      },
    };
  }
}

const errorResponse = {
  description: 'Error',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/HubError' } } },
};
const binary = (types: string[]) =>
  Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }]));

function doorOperation(key: string, path: string, doc: DoorDoc): Record<string, unknown> {
  const parameters = (path.match(/\{(\w+)\}/g) ?? []).map((name) => ({
    name: name.slice(1, -1),
    in: 'path',
    required: true,
    schema: name === '{caseId}' || name === '{decisionId}' ? { type: 'string', format: 'uuid' } : { type: 'string' },
  }));
  let requestBody: unknown;
  if (doc.request === 'image')
    requestBody = { required: true, content: binary(PHOTO_REQUEST_TYPES), description: 'The photograph itself' };
  else if (doc.request === 'fhir-bundle')
    requestBody = {
      required: true,
      content: { 'application/fhir+json': { schema: { type: 'object', description: 'A FHIR R4 transaction Bundle' } } },
    };
  else if (doc.request)
    requestBody = { required: true, content: { 'application/json': { schema: schemaOf(doc.request, 'input') } } };
  const ok: Record<string, unknown> = { description: 'OK' };
  const r = doc.response;
  if (r === 'html') ok.content = { 'text/html': { schema: { type: 'string' } } };
  else if (r === 'pdf') ok.content = binary(['application/pdf']);
  else if (r === 'css-or-js')
    ok.content = { 'text/css': { schema: { type: 'string' } }, 'text/javascript': { schema: { type: 'string' } } };
  else if (r === 'fhir-bundle')
    ok.content = { 'application/fhir+json': { schema: { type: 'object', description: 'A FHIR R4 Bundle' } } };
  else if (r)
    ok.content = {
      'application/json': { schema: schemaOf(r, 'output') },
      ...(doc.alsoCsv ? { 'text/csv': { schema: { type: 'string' } } } : {}),
    };
  const responses: Record<string, unknown> = { [String(doc.status ?? 200)]: ok };
  for (const status of doc.errors) {
    const special = doorErrorSchemas[`${key} ${status}`];
    responses[String(status)] = special
      ? { description: 'Error', content: { 'application/json': { schema: schemaOf(special, 'output') } } }
      : errorResponse;
  }
  return {
    summary: doc.summary,
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
}
