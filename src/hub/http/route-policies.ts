import { MAX_IMAGE_BYTES } from '../../shared/hub-api/intake-api';
import type { UserRole } from '../store/hub-repository';

/**
 * Who may call each hub route, and how large a body it may send: one table, so a reviewer sees
 * every door in one place, and a route missing from it cannot be served (startup fails). The
 * access check runs in an `onRequest` hook (http/route-access.ts), BEFORE any byte of the body
 * is read: an unauthenticated 250 MB upload is refused from its headers.
 */
export type RouteAccess =
  /** Anyone (sign-in, pages, assets, the OpenAPI document, feedback). */
  | { kind: 'public' }
  /** A bearer token of an account with this role ('any': any signed-in account). */
  | { kind: 'token'; role: UserRole | 'any'; who: string; forbiddenCode?: string }
  /** The one-time link token in the path, checked by the patient-link routes' own onRequest hook. */
  | { kind: 'patient-link' }
  /** Prometheus: the scrape token the hub was started with (DERMDESK_HUB_METRICS_TOKEN). */
  | { kind: 'metrics-scraper' };

export interface RoutePolicy {
  access: RouteAccess;
  /** The largest body this route reads, in bytes (a streamed photograph door applies it while the bytes arrive). */
  bodyLimit: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
/** Routes that take no body (GETs): anything sent is refused past this. */
const NO_BODY = 1 * KiB;

/**
 * The JSON door for referrals and answers with inline base64 photographs, kept for existing
 * clients and small: one phone photograph (4/3 of its size as base64) or a few small ones. New
 * clients stream each photograph to an upload door first (STREAMED_PHOTO_LIMIT, never held in
 * memory) and cite it by `uploadId`, so a referral's JSON is a few KB whatever its photographs.
 * (Was 32 MiB before the upload doors; a larger inline referral now gets 413 naming this limit.)
 */
export const JSON_PHOTO_DOOR_LIMIT = 8 * MiB;
/**
 * One photograph streamed to the object store (POST /uploads/photos, /patient-links/<t>/photos):
 * the per-image limit of the JSON door (MAX_IMAGE_BYTES), enforced while the bytes arrive.
 */
export const STREAMED_PHOTO_LIMIT = MAX_IMAGE_BYTES;
/** One raw photograph for the upload-time quality check (a 15 MB photograph plus headroom). */
export const RAW_IMAGE_LIMIT = 16 * MiB;
/** Nesting deeper than this is refused (400) before parsing: no JSON the hub accepts comes close. */
export const MAX_JSON_DEPTH = 64;

const PUBLIC = { kind: 'public' } as const;
const consultant: RouteAccess = {
  kind: 'token',
  role: 'consultant',
  who: 'a consultant',
  forbiddenCode: 'forbidden-role',
};
const practice: RouteAccess = { kind: 'token', role: 'gp-practice', who: 'a GP practice', forbiddenCode: 'forbidden' };
const operator: RouteAccess = { kind: 'token', role: 'admin', who: 'the service operator', forbiddenCode: 'forbidden' };
const anyAccount: RouteAccess = { kind: 'token', role: 'any', who: 'any signed-in account' };
const link = { kind: 'patient-link' } as const;

const A = '/api/v1';

export const routePolicies: Readonly<Record<string, RoutePolicy>> = {
  // The consultant sync API
  [`POST ${A}/auth/login`]: { access: PUBLIC, bodyLimit: 8 * KiB },
  [`POST ${A}/auth/password`]: { access: PUBLIC, bodyLimit: 8 * KiB },
  [`POST ${A}/auth/logout`]: { access: anyAccount, bodyLimit: 1 * KiB },
  [`POST ${A}/batches/claim`]: { access: consultant, bodyLimit: 1 * KiB },
  [`GET ${A}/assigned`]: { access: consultant, bodyLimit: NO_BODY },
  [`GET ${A}/cases/:caseId`]: { access: consultant, bodyLimit: NO_BODY },
  [`GET ${A}/changes`]: { access: consultant, bodyLimit: NO_BODY },
  [`POST ${A}/cases/:caseId/pass-on`]: { access: consultant, bodyLimit: 16 * KiB },
  [`GET ${A}/images/:sha256`]: { access: consultant, bodyLimit: NO_BODY },
  // A decision is a few KB; its longest free texts add up to ~35k characters (4 bytes each at worst).
  [`PUT ${A}/cases/:caseId/decisions/:decisionId`]: { access: consultant, bodyLimit: 256 * KiB },
  // Up to 500 audit rows per batch.
  [`POST ${A}/audit`]: { access: consultant, bodyLimit: 256 * KiB },
  [`GET ${A}/sealing-key`]: { access: consultant, bodyLimit: NO_BODY },
  [`POST ${A}/sealed-outbox`]: { access: consultant, bodyLimit: 256 * KiB },
  [`GET ${A}/sealed-outbox/review`]: {
    access: { kind: 'token', role: 'admin', who: 'the service operator', forbiddenCode: 'forbidden-role' },
    bodyLimit: NO_BODY,
  },
  // 192 KiB documents; the route takes 1 MiB so a larger one is named (413 annotations-too-large).
  [`PUT ${A}/cases/:caseId/images/:sha256/annotations`]: { access: consultant, bodyLimit: 1 * MiB },
  ['GET /openapi.json']: { access: PUBLIC, bodyLimit: NO_BODY },
  // For the load balancer: alive, and ready (database and object store reachable). No data.
  ['GET /healthz']: { access: PUBLIC, bodyLimit: NO_BODY },
  ['GET /readyz']: { access: PUBLIC, bodyLimit: NO_BODY },
  // Request latency, claims, intake, decision receipts, errors: counts by route, no patient data.
  ['GET /metrics']: { access: { kind: 'metrics-scraper' }, bodyLimit: NO_BODY },

  // GP intake
  [`POST ${A}/intake/referrals`]: { access: practice, bodyLimit: JSON_PHOTO_DOOR_LIMIT },
  [`POST ${A}/intake/fhir`]: { access: practice, bodyLimit: JSON_PHOTO_DOOR_LIMIT },
  [`POST ${A}/intake/image-check`]: { access: anyAccount, bodyLimit: RAW_IMAGE_LIMIT },
  // One photograph streamed to the object store; the limit is applied while it streams.
  [`POST ${A}/uploads/photos`]: { access: practice, bodyLimit: STREAMED_PHOTO_LIMIT },

  // Practice inbox
  [`POST ${A}/practice/login`]: { access: PUBLIC, bodyLimit: 8 * KiB },
  [`GET ${A}/practice/inbox`]: { access: practice, bodyLimit: NO_BODY },
  [`POST ${A}/practice/cases/:caseId/outcomes/:decisionId/acknowledge`]: { access: practice, bodyLimit: 1 * KiB },
  [`GET ${A}/practice/cases/:caseId/outcomes/:decisionId/letter.pdf`]: { access: practice, bodyLimit: NO_BODY },
  [`GET ${A}/practice/cases/:caseId/outcomes/:decisionId/patient-copy.pdf`]: { access: practice, bodyLimit: NO_BODY },
  [`POST ${A}/practice/cases/:caseId/information`]: { access: practice, bodyLimit: JSON_PHOTO_DOOR_LIMIT },
  [`POST ${A}/practice/patient-links`]: { access: practice, bodyLimit: 64 * KiB },

  // Patient links (the token in the path is the credential)
  ['GET /p/:token']: { access: link, bodyLimit: NO_BODY },
  [`GET ${A}/patient-links/:token`]: { access: link, bodyLimit: NO_BODY },
  [`POST ${A}/patient-links/:token/image-check`]: { access: link, bodyLimit: RAW_IMAGE_LIMIT },
  [`POST ${A}/patient-links/:token/photos`]: { access: link, bodyLimit: STREAMED_PHOTO_LIMIT },
  [`POST ${A}/patient-links/:token/submit`]: { access: link, bodyLimit: JSON_PHOTO_DOOR_LIMIT },

  // FHIR R4 out (src/hub/fhir): the capability statement is open, everything else a practice's
  ['GET /fhir/r4/metadata']: { access: PUBLIC, bodyLimit: NO_BODY },
  ['GET /fhir/r4/Binary/:id']: { access: practice, bodyLimit: NO_BODY },
  ['GET /fhir/r4/ServiceRequest']: { access: practice, bodyLimit: NO_BODY },
  ['GET /fhir/r4/ServiceRequest/:id']: { access: practice, bodyLimit: NO_BODY },
  ['GET /fhir/r4/DiagnosticReport']: { access: practice, bodyLimit: NO_BODY },
  ['GET /fhir/r4/DiagnosticReport/:id']: { access: practice, bodyLimit: NO_BODY },
  ['GET /fhir/r4/Task']: { access: practice, bodyLimit: NO_BODY },
  ['GET /fhir/r4/Task/:id']: { access: practice, bodyLimit: NO_BODY },

  // Closing the loop: the operator's messages and failsafe lists (src/hub/loop)
  [`GET ${A}/ops/messages`]: { access: operator, bodyLimit: NO_BODY },
  [`POST ${A}/ops/messages/:id/retry`]: { access: operator, bodyLimit: 1 * KiB },
  [`GET ${A}/ops/failsafe`]: { access: operator, bodyLimit: NO_BODY },
  [`PUT ${A}/ops/practices/:odsCode/settings`]: { access: operator, bodyLimit: 16 * KiB },

  // Accounts: the operator page's side of `npm run hub -- admin` (src/hub/admin/account-routes.ts)
  [`GET ${A}/ops/accounts`]: { access: operator, bodyLimit: NO_BODY },
  [`POST ${A}/ops/accounts`]: { access: operator, bodyLimit: 4 * KiB },
  [`POST ${A}/ops/accounts/:username/deactivate`]: { access: operator, bodyLimit: NO_BODY },
  [`POST ${A}/ops/accounts/:username/reactivate`]: { access: operator, bodyLimit: NO_BODY },
  [`POST ${A}/ops/accounts/:username/reset-password`]: { access: operator, bodyLimit: NO_BODY },

  // Feedback, dashboard, pages
  [`POST ${A}/feedback`]: { access: PUBLIC, bodyLimit: 16 * KiB },
  [`GET ${A}/feedback`]: { access: operator, bodyLimit: NO_BODY },
  [`GET ${A}/dashboard`]: { access: operator, bodyLimit: NO_BODY },
  ['GET /gp']: { access: PUBLIC, bodyLimit: NO_BODY },
  ['GET /gp/inbox']: { access: PUBLIC, bodyLimit: NO_BODY },
  ['GET /ops']: { access: PUBLIC, bodyLimit: NO_BODY },
  ['GET /feedback']: { access: PUBLIC, bodyLimit: NO_BODY },
  ['GET /account/password']: { access: PUBLIC, bodyLimit: NO_BODY },
  ['GET /assets/:name']: { access: PUBLIC, bodyLimit: NO_BODY },
};

/** The policy of a route, or null when the table does not name it. */
export function policyFor(method: string, url: string): RoutePolicy | null {
  return routePolicies[`${method} ${url}`] ?? null;
}
