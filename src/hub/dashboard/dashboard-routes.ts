import type { FastifyInstance } from 'fastify';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import type { DoorsDeps } from '../intake/doors-deps';
import type { DoorsRepository } from '../store/hub-repository';
import { requireOperator } from '../practice/practice-auth';
import { dashboardFigures } from './dashboard-figures';

/** GET /api/v1/dashboard: the operator's service figures (role admin). */
export async function dashboardRoutes(
  app: FastifyInstance,
  opts: { deps: DoorsDeps; store: DoorsRepository },
): Promise<void> {
  const { deps, store } = opts;
  app.get(`${HUB_API_PREFIX}/dashboard`, async (request, reply) => {
    const operator = await requireOperator(deps, request, reply);
    if (!operator) return reply;
    return reply.send(
      dashboardFigures(
        await store.caseFacts(),
        await store.uploadCheckSummary(),
        await store.feedbackSummary(),
        deps.now(),
      ),
    );
  });
}
