import type { FastifyInstance } from 'fastify';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import { auditIngestRequestSchema } from '../../shared/hub-api/consultant-api-extras';
import type { HubContext } from '../hub-context';
import { authenticate, parseWith } from '../http/request-helpers';

/**
 * The workstation's hash-chained audit rows, kept append-only under the signed-in consultant
 * (never the row's own `actor` claim). A resend is a no-op. The same seq with another hash (a
 * rewritten chain, or a cache rebuilt after its key was lost) is kept aside as a conflict and
 * counted in the answer, not refused: a 4xx would stall the workstation's outbox for good.
 */
export function registerAuditRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.post(`${HUB_API_PREFIX}/audit`, async (request) => {
    const user = await authenticate(ctx, request);
    const { events } = parseWith(auditIngestRequestSchema, request.body);
    const result = await ctx.repo.ingestAudit(user.id, events, ctx.now().toISOString());
    return { accepted: result.accepted, duplicates: result.duplicates, conflicts: result.conflicts.length };
  });
}
