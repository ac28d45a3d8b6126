import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HUB_API_PREFIX, decisionUploadSchema } from '../../shared/hub-api/consultant-api';
import { DEMO_LETTERHEAD } from '../../shared/domain/letterhead';
import type { HubContext } from '../hub-context';
import { HubHttpError } from '../http/hub-http-error';
import { authenticate, canonicalJson, caseIdParam, parseWith } from '../http/request-helpers';

/** An in-flight idempotency record older than this belongs to a request that died with its hub. */
const IN_FLIGHT_STALE_MS = 60_000;
const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Decision upload with the IETF Idempotency-Key draft's semantics and If-Match on the case version.
 * Only successful responses are stored for replay: a 412 or 409 leaves the key free, so the
 * workstation can retry after the consultant reviewed the change.
 */
export function registerDecisionRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.put<{ Params: { caseId: string; decisionId: string } }>(
    `${HUB_API_PREFIX}/cases/:caseId/decisions/:decisionId`,
    async (request, reply) => {
      const user = await authenticate(ctx, request);
      const caseId = caseIdParam(request.params.caseId);
      const decision = parseWith(decisionUploadSchema, request.body);
      if (decision.caseId !== caseId || decision.id !== request.params.decisionId.toLowerCase()) {
        throw new HubHttpError(
          400,
          'path-mismatch',
          'The case and decision ids in the path must match the body.',
          'id',
        );
      }
      const key = headerValue(request.headers['idempotency-key']);
      if (key === undefined) {
        throw new HubHttpError(
          400,
          'idempotency-key-required',
          'Send the decision id as the Idempotency-Key header.',
          'Idempotency-Key',
        );
      }
      if (!KEY.test(key))
        throw new HubHttpError(400, 'invalid-request', 'The Idempotency-Key header is not valid.', 'Idempotency-Key');
      const ifMatch = headerValue(request.headers['if-match']);
      if (ifMatch === undefined) {
        throw new HubHttpError(
          428,
          'if-match-required',
          'Send If-Match with the case version the decision was made on.',
          'If-Match',
        );
      }
      const version = /^"(\d{1,9})"$/.exec(ifMatch.trim())?.[1];
      if (!version)
        throw new HubHttpError(
          400,
          'invalid-request',
          'If-Match must be a quoted case version such as "3".',
          'If-Match',
        );

      const payloadHash = createHash('sha256').update(canonicalJson(decision)).digest('hex');
      const fingerprint = createHash('sha256')
        .update(`PUT ${request.url.split('?')[0]}\n${payloadHash}`)
        .digest('hex');
      const now = ctx.now();
      const begun = await ctx.repo.beginIdempotent(
        user.id,
        key,
        fingerprint,
        now.toISOString(),
        new Date(now.getTime() - IN_FLIGHT_STALE_MS).toISOString(),
      );
      if (begun.kind === 'mismatch') {
        throw new HubHttpError(
          422,
          'idempotency-key-reused',
          'This Idempotency-Key was already used with a different request.',
          'Idempotency-Key',
        );
      }
      if (begun.kind === 'in-flight') {
        throw new HubHttpError(
          409,
          'request-in-flight',
          'A request with this Idempotency-Key is still being processed; retry shortly.',
          undefined,
          {
            'retry-after': '1',
          },
        );
      }
      if (begun.kind === 'replay') {
        return reply.code(begun.status).header('idempotent-replayed', 'true').type('application/json').send(begun.body);
      }
      try {
        await ctx.hooks.beforeDecisionCommit?.();
        // The signer's name is the account's, never the body's: what the practice's inbox and
        // letter show is who signed in. (A forged id is refused in judgeDecision.) The payload
        // hash stays that of the body as sent, so a resend is still recognised.
        const signed = { ...decision, signedBy: { id: decision.signedBy.id, displayName: user.displayName } };
        const result = await ctx.repo.acceptDecision(
          user.id,
          signed,
          payloadHash,
          Number(version),
          ctx.now().toISOString(),
          // Fixed with the decision: a later DERMDESK_LETTERHEAD never changes an issued letter.
          ctx.letterhead ?? DEMO_LETTERHEAD,
        );
        if (!result.ok) throw new HubHttpError(result.status, result.code, result.message, result.field);
        // The decision already held (sent under another key, or the hub died before recording
        // the key's answer) is answered exactly as when it was first accepted.
        const status = 201;
        const body = JSON.stringify(result.receipt);
        await ctx.repo.completeIdempotent(user.id, key, status, body);
        if (result.replayed) reply.header('idempotent-replayed', 'true');
        else ctx.loop?.kick(); // dispatch to the practice now rather than at the next sweep
        return reply.code(status).type('application/json').send(body);
      } catch (error) {
        await ctx.repo.abandonIdempotent(user.id, key);
        throw error;
      }
    },
  );
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
