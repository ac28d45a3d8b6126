import type { FastifyInstance } from 'fastify';
import type { HubContext } from '../hub-context';

/**
 * `/healthz`: the process answers (a load balancer restarts it if not). `/readyz`: it can do its
 * work now, the database answers a query and the object store can be written; 503 naming which
 * part is not ready (and nothing else: no hosts, no error text) so the proxy sends traffic
 * elsewhere.
 */
export function registerHealthRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const check = async (fn: () => Promise<void>) =>
      fn().then(
        () => 'ok' as const,
        () => 'unavailable' as const,
      );
    const [database, objects] = await Promise.all([check(() => ctx.repo.ping()), check(() => ctx.objects.ping())]);
    const ready = database === 'ok' && objects === 'ok';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', database, objects });
  });
  app.get('/metrics', async (_request, reply) => {
    if (!ctx.metrics) return reply.code(404).send({ error: { code: 'metrics-off', message: 'Metrics are off.' } });
    const { contentType, body } = await ctx.metrics.text();
    return reply.type(contentType).send(body);
  });
}
