import { practiceSchema } from '../../shared/domain/case';
import type { FastifyInstance } from 'fastify';
import { caseReference } from '../../shared/domain/case-reference';
import { outcomeLabels } from '../../shared/domain/outcome-labels';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import { practiceSettingsSchema, type EscalatedOutcome } from '../../shared/hub-api/loop-api';
import type { DoorsDeps } from '../intake/doors-deps';
import type { DoorsRepository } from '../store/hub-repository';
import { zodFieldErrors } from '../intake/validate-submission';
import { requireOperator, sendError } from '../practice/practice-auth';

const O = `${HUB_API_PREFIX}/ops`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The operator's side of the loop: undelivered messages, escalated outcomes, practice settings. */
export async function loopRoutes(
  app: FastifyInstance,
  opts: { deps: DoorsDeps; store: DoorsRepository },
): Promise<void> {
  const { deps, store } = opts;
  const loop = deps.repo.outcomes;

  app.get(`${O}/messages`, async (request, reply) => {
    if (!(await requireOperator(deps, request, reply))) return reply;
    return reply.send({ messages: await loop.unsentMessages(500) });
  });

  app.post<{ Params: { id: string } }>(`${O}/messages/:id/retry`, async (request, reply) => {
    const operator = await requireOperator(deps, request, reply);
    if (!operator) return reply;
    if (!UUID.test(request.params.id)) return sendError(reply, 404, 'not-found', 'No such message.');
    const now = deps.now().toISOString();
    if (!(await loop.retryMessage(request.params.id.toLowerCase(), now)))
      return sendError(reply, 409, 'conflict', 'Only a message that failed can be sent again.');
    await store.audit(operator.userId, 'message.retried', request.params.id.toLowerCase(), {}, now);
    deps.kickLoop();
    return reply.send({ retried: true });
  });

  app.get(`${O}/failsafe`, async (request, reply) => {
    if (!(await requireOperator(deps, request, reply))) return reply;
    const escalated: EscalatedOutcome[] = [];
    for (const row of await loop.escalatedOpenOutcomes(500)) {
      const decision = (await deps.repo.decisionsForCase(row.caseId)).find((d) => d.decision.id === row.decisionId);
      escalated.push({
        caseId: row.caseId,
        reference: caseReference(row.caseId),
        decisionId: row.decisionId,
        odsCode: row.odsCode,
        outcome: decision ? outcomeLabels[decision.decision.outcome.kind] : '',
        dispatchedAt: row.dispatchedAt,
        dueOn: row.dueOn ?? '',
        escalatedAt: row.escalatedAt!,
      });
    }
    return reply.send({ escalated });
  });

  app.put<{ Params: { odsCode: string } }>(`${O}/practices/:odsCode/settings`, async (request, reply) => {
    const operator = await requireOperator(deps, request, reply);
    if (!operator) return reply;
    if (!practiceSchema.shape.odsCode.safeParse(request.params.odsCode).success)
      return sendError(reply, 400, 'validation', 'That is not an ODS code.', 'odsCode');
    const body = practiceSettingsSchema.safeParse(request.body);
    if (!body.success)
      return reply.code(422).send({
        error: {
          code: 'validation',
          message: 'The settings were not saved.',
          fields: zodFieldErrors(body.error, request.body),
        },
      });
    const now = deps.now().toISOString();
    await loop.setPracticeSettings({ odsCode: request.params.odsCode, ...body.data }, now);
    await store.audit(operator.userId, 'practice.settings-changed', request.params.odsCode, body.data, now);
    return reply.send({ odsCode: request.params.odsCode, ...body.data });
  });
}
