import { z } from 'zod';
import { sha256Schema } from '../domain/case';

/**
 * Consultant API routes added after consultant-api.ts was first shared: handing a case back
 * (pass-on) and shipping the workstation's hash-chained audit rows. Same conventions: JSON,
 * Bearer token, errors as hubErrorSchema.
 */

// POST /api/v1/cases/:caseId/pass-on → 200 passOnResponseSchema
// The case leaves the caller's assignment: to the named consultant (a new lease for them), or
// back to the pool (optionally marked for a subspecialty). The caller will not be offered it again.
export const passOnRequestSchema = z
  .object({
    note: z.string().min(1).max(2000),
    toConsultant: z.string().min(1).max(100).optional(),
    toSubspecialty: z.string().min(1).max(200).optional(),
  })
  .refine((v) => !(v.toConsultant && v.toSubspecialty), {
    message: 'name either a consultant or a subspecialty, not both',
    path: ['toConsultant'],
  });
export const passOnResponseSchema = z.object({
  caseId: z.string().uuid(),
  passedOnAt: z.string().datetime(),
  /** 'consultant' when handed to a named colleague, 'pool' when returned for reassignment. */
  to: z.enum(['consultant', 'pool']),
});

// POST /api/v1/audit → 200 auditIngestResponseSchema
// One workstation audit row (src/main/core/audit/audit-log.ts AuditRow). Stored append-only and
// idempotent by (consultant, seq): resending a row already held is a no-op.
export const auditEventSchema = z.object({
  seq: z.number().int().positive(),
  at: z.string().datetime(),
  actor: z.string().min(1).max(200),
  caseId: z.string().uuid().nullable(),
  action: z.string().min(1).max(100),
  detail: z.record(z.string(), z.unknown()),
  prevHash: sha256Schema,
  hash: sha256Schema,
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
export const auditIngestRequestSchema = z.object({ events: z.array(auditEventSchema).min(1).max(500) });
export const auditIngestResponseSchema = z.object({
  /** Rows newly stored. */
  accepted: z.number().int().nonnegative(),
  /** Rows the hub already held with the same hash (a resend). */
  duplicates: z.number().int().nonnegative(),
  /** Rows whose seq the hub already held with another hash: kept aside for investigation. */
  conflicts: z.number().int().nonnegative().optional(),
});
