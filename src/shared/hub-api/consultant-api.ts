import { z } from 'zod';
import { letterheadSchema } from '../domain/letterhead';
import { caseRecordSchema } from '../domain/case';
import { caseAnnotationsSchema } from './annotations-api';
import { consultantRefSchema, signedDecisionSchema } from '../domain/decision';
import { earlierCasesSchema } from './earlier-cases-api';

/**
 * The hub's consultant sync API (HTTP, JSON). The hub validates requests and the workstation
 * validates responses against these same schemas; /openapi.json is generated from them.
 * All routes except login need `Authorization: Bearer <token>`.
 */
export const HUB_API_PREFIX = '/api/v1';

export const hubErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
  }),
});
export type HubError = z.infer<typeof hubErrorSchema>;

// POST /api/v1/auth/login
export const loginRequestSchema = z.object({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
});
export const loginResponseSchema = z.object({
  token: z.string().min(32),
  expiresAt: z.string().datetime(),
  consultant: consultantRefSchema,
  /** The service's letterhead, for the letters the workstation writes (absent from older hubs). */
  letterhead: letterheadSchema.optional(),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

// POST /api/v1/auth/logout: revokes the presented token; 204.

// POST /api/v1/batches/claim
export const claimRequestSchema = z.object({ count: z.number().int().min(1).max(100) });
export const claimedCaseSchema = z.object({ id: z.string().uuid(), version: z.number().int().positive() });
export const claimResponseSchema = z.object({
  batchId: z.string().uuid(),
  /** Claims are leases: cases not decided by then return to the pool. */
  leaseExpiresAt: z.string().datetime(),
  cases: z.array(claimedCaseSchema),
});
export type ClaimResponse = z.infer<typeof claimResponseSchema>;

// GET /api/v1/assigned: every case currently leased to this consultant (resume after a crash).
export const assignedResponseSchema = z.object({ cases: z.array(claimedCaseSchema) });

// GET /api/v1/cases/:caseId  → case JSON; ETag: "<version>" (plus the marks' versions and the
// earlier cases' latest decisions when any).
// `annotations`: the consultant's marks on the case's images (annotations-api.ts), when any.
// `earlierCases`: the patient's earlier cases, read-only (earlier-cases-api.ts); [] when none.
export const caseResponseSchema = caseRecordSchema.extend({
  annotations: caseAnnotationsSchema.optional(),
  earlierCases: earlierCasesSchema.optional(),
});

// GET /api/v1/images/:sha256 → the original bytes; strong ETag "<sha256>", Accept-Ranges: bytes.
// Only for images of cases assigned to the caller, and of the earlier cases served with them.

// GET /api/v1/changes?after=<cursor>
export const changeKinds = ['withdrawn', 'updated', 'reassigned'] as const;
export const changeSchema = z.object({
  seq: z.number().int().positive(),
  caseId: z.string().uuid(),
  kind: z.enum(changeKinds),
  version: z.number().int().positive(),
  at: z.string().datetime(),
});
export const changesResponseSchema = z.object({
  /** Pass back as ?after= to get only newer changes. */
  cursor: z.number().int().nonnegative(),
  changes: z.array(changeSchema),
});
export type Change = z.infer<typeof changeSchema>;

// PUT /api/v1/cases/:caseId/decisions/:decisionId
//   Idempotency-Key: <decisionId>   (required; IETF draft semantics)
//   If-Match: "<case version>"      (required; stale → 412)
export const decisionUploadSchema = signedDecisionSchema;
export const decisionReceiptSchema = z.object({
  decisionId: z.string().uuid(),
  caseId: z.string().uuid(),
  acceptedAt: z.string().datetime(),
  caseVersion: z.number().int().positive(),
});
export type DecisionReceipt = z.infer<typeof decisionReceiptSchema>;
