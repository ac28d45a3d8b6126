import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import { feedbackRequestSchema } from '../../shared/hub-api/feedback-api';
import type { DoorsDeps } from '../intake/doors-deps';
import type { DoorsRepository } from '../store/hub-repository';
import { zodFieldErrors } from '../intake/validate-submission';
import { RateLimiter } from '../auth/rate-limiter';
import { requireOperator, sendError } from '../practice/practice-auth';

/**
 * Feedback from patients and practices: anyone may send it (the service guide invites it), so it
 * is rate limited per address and stores no identity beyond the practice's ODS code when a
 * practice is signed in. The operator reads it back as JSON or CSV.
 */
export async function feedbackRoutes(
  app: FastifyInstance,
  opts: { deps: DoorsDeps; store: DoorsRepository },
): Promise<void> {
  const { deps, store } = opts;
  const limiter = new RateLimiter(deps.repo, 'feedback', 20, 60 * 60_000, () => deps.now().getTime());

  app.post(`${HUB_API_PREFIX}/feedback`, async (request, reply) => {
    if ((await limiter.take(request.ip)) > 0)
      return sendError(
        reply,
        429,
        'too-many-requests',
        'Thank you: we have enough feedback from this connection for now.',
      );
    const body = feedbackRequestSchema.safeParse(request.body);
    if (!body.success)
      return reply.code(422).send({
        error: {
          code: 'validation',
          message: 'Please check the form.',
          fields: zodFieldErrors(body.error, request.body),
        },
      });
    const caller = await deps.authenticate(request);
    const odsCode = caller ? ((await store.practiceAccount(caller.userId))?.odsCode ?? null) : null;
    const id = randomUUID();
    const at = deps.now().toISOString();
    await store.addFeedback({
      id,
      at,
      source: body.data.source,
      odsCode,
      rating: body.data.rating,
      comment: body.data.comment,
    });
    return reply.code(201).send({ id, at });
  });

  app.get<{ Querystring: { format?: string } }>(`${HUB_API_PREFIX}/feedback`, async (request, reply) => {
    const operator = await requireOperator(deps, request, reply);
    if (!operator) return reply;
    const report = { ...(await store.feedbackSummary()), rows: await store.feedbackReport(1000) };
    if (request.query.format === 'csv') {
      const cell = (v: unknown) => `"${String(v ?? '').replace(/"/g, '""')}"`;
      const lines = [
        'at,source,ods_code,rating,comment',
        ...report.rows.map((r) => [r.at, r.source, r.odsCode, r.rating, r.comment].map(cell).join(',')),
      ];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="feedback.csv"')
        .send(lines.join('\r\n'));
    }
    return reply.send(report);
  });
}
