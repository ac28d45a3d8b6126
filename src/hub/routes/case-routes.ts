import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import {
  HUB_API_PREFIX,
  claimRequestSchema,
  type ClaimResponse,
  type Change,
} from '../../shared/hub-api/consultant-api';
import { passOnRequestSchema } from '../../shared/hub-api/consultant-api-extras';
import { leaseEnd, type HubContext } from '../hub-context';
import { HubHttpError } from '../http/hub-http-error';
import { authenticate, caseIdParam, parseWith } from '../http/request-helpers';

const CHANGES_PAGE = 500;

/** Claim a batch, list what is leased, read a case, follow the changes feed, pass a case on. */
export function registerCaseRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.post(`${HUB_API_PREFIX}/batches/claim`, async (request) => {
    const user = await authenticate(ctx, request);
    const { count } = parseWith(claimRequestSchema, request.body);
    const now = ctx.now();
    const leaseExpiresAt = leaseEnd(ctx, now);
    const batchId = randomUUID();
    const cases = await ctx.repo.claim(user.id, count, batchId, leaseExpiresAt, now.toISOString());
    ctx.metrics?.claims.inc(cases.length);
    const response: ClaimResponse = { batchId, leaseExpiresAt, cases };
    return response;
  });

  app.get(`${HUB_API_PREFIX}/assigned`, async (request) => {
    const user = await authenticate(ctx, request);
    const now = ctx.now().toISOString();
    await ctx.repo.releaseExpiredLeases(now);
    return { cases: await ctx.repo.assignedTo(user.id, now) };
  });

  app.get<{ Params: { caseId: string } }>(`${HUB_API_PREFIX}/cases/:caseId`, async (request, reply) => {
    const user = await authenticate(ctx, request);
    const caseId = caseIdParam(request.params.caseId);
    const access = await ctx.repo.caseAccess(caseId, user.id, ctx.now().toISOString());
    throwUnlessMine(access);
    const row = await ctx.repo.getCase(caseId);
    if (!row) throw new HubHttpError(404, 'case-not-found', 'No such case is assigned to you.');
    // The marks travel with the case, so a second workstation (or a rebuilt cache) has them too.
    const annotations = await ctx.repo.annotationsForCase(caseId);
    // The patient's earlier cases travel with it too, so a cache that never held them can compare.
    const earlierCases = await ctx.repo.earlierCases(caseId);
    const marks = annotations.map((a) => `${a.sha256.slice(0, 8)}.${a.version}`).join('.');
    const earlier = earlierCases.map((e) => `${e.id.slice(0, 8)}.${e.decision?.version ?? 0}`).join('.');
    const etag = `"${[row.record.version, marks, earlier].filter((part) => part !== '').join('-')}"`;
    reply.header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return { ...row.record, ...(annotations.length > 0 ? { annotations } : {}), earlierCases };
  });

  app.get<{ Querystring: { after?: string } }>(`${HUB_API_PREFIX}/changes`, async (request) => {
    const user = await authenticate(ctx, request);
    const raw = request.query.after ?? '0';
    if (!/^\d{1,15}$/.test(raw)) {
      throw new HubHttpError(400, 'invalid-request', 'The changes cursor must be a non-negative integer.', 'after');
    }
    const after = Number(raw);
    await ctx.repo.releaseExpiredLeases(ctx.now().toISOString());
    const changes: Change[] = await ctx.repo.changesFor(user.id, after, CHANGES_PAGE);
    return { cursor: changes.at(-1)?.seq ?? after, changes };
  });

  app.post<{ Params: { caseId: string } }>(`${HUB_API_PREFIX}/cases/:caseId/pass-on`, async (request) => {
    const user = await authenticate(ctx, request);
    const caseId = caseIdParam(request.params.caseId);
    const body = parseWith(passOnRequestSchema, request.body);
    const now = ctx.now();
    const result = await ctx.repo.passOn({
      caseId,
      consultantId: user.id,
      note: body.note,
      toConsultant: body.toConsultant ?? null,
      toSubspecialty: body.toSubspecialty ?? null,
      leaseExpiresAt: leaseEnd(ctx, now),
      now: now.toISOString(),
    });
    if (!result.ok) throw new HubHttpError(result.status, result.code, result.message, result.field);
    return { caseId, passedOnAt: result.passedOnAt, to: result.to };
  });
}

export function throwUnlessMine(access: string): void {
  if (access === 'mine') return;
  if (access === 'withdrawn') throw new HubHttpError(409, 'case-withdrawn', 'The referrer withdrew this case.');
  if (access === 'reassigned')
    throw new HubHttpError(409, 'case-reassigned', 'This case is no longer assigned to you.');
  throw new HubHttpError(404, 'case-not-found', 'No such case is assigned to you.');
}
