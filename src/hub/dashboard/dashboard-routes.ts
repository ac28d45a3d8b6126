import type { FastifyInstance } from 'fastify';
import { londonDateOf } from '../../shared/domain/working-days';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import type { DoorsDeps } from '../intake/doors-deps';
import type { DoorsRepository } from '../store/hub-repository';
import { requireOperator } from '../practice/practice-auth';
import { dashboardFigures } from './dashboard-figures';

/** GET /api/v1/dashboard: the operator's service figures (role admin), aggregated by the database. */
export async function dashboardRoutes(
  app: FastifyInstance,
  opts: { deps: DoorsDeps; store: DoorsRepository },
): Promise<void> {
  const { deps, store } = opts;
  app.get(`${HUB_API_PREFIX}/dashboard`, async (request, reply) => {
    const operator = await requireOperator(deps, request, reply);
    if (!operator) return reply;
    const now = deps.now();
    const agg = await store.dashboardAggregates({
      today: londonDateOf(now),
      weekAgo: new Date(now.getTime() - 7 * 86_400_000).toISOString(),
    });
    const practices = new Map<string, string>();
    for (const r of agg.turnaround.byPractice) practices.set(r.key, (await store.practiceName(r.key)) ?? r.key);
    const consultants = new Map<string, string>();
    for (const r of agg.turnaround.byConsultant)
      consultants.set(r.key, (await deps.repo.findUserById(r.key))?.displayName ?? 'Unknown');
    return reply.send(
      dashboardFigures(
        agg,
        await store.uploadCheckSummary(),
        await store.feedbackSummary(),
        { practices, consultants },
        now,
      ),
    );
  });
}
