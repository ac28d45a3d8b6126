import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HubContext } from '../hub-context';
import { HubHttpError } from './hub-http-error';
import { authenticate } from './request-helpers';
import { policyFor, type RouteAccess } from './route-policies';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set from route-policies.ts for every route (onRoute below). */
    access?: RouteAccess;
  }
}

/**
 * Applies route-policies.ts to every route the app registers: its body limit, and its access
 * check in an `onRequest` hook, which runs before Fastify reads a byte of the body. A route the
 * table does not name fails the hub's start (fail closed). A refusal sent while the client is
 * still uploading closes the connection, so the rest of a large body is never read.
 */
export function installRouteAccess(app: FastifyInstance, ctx: HubContext): void {
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      const policy = policyFor(method === 'HEAD' ? 'GET' : method, route.url);
      if (!policy) {
        throw new Error(`${method} ${route.url} has no entry in src/hub/http/route-policies.ts: say who may call it.`);
      }
      route.bodyLimit = policy.bodyLimit;
      route.config = { ...(route.config as object), access: policy.access };
      if (policy.access.kind === 'patient-link' && !route.onRequest) {
        throw new Error(`${method} ${route.url} is a patient-link route without its link check.`);
      }
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (access?.kind === 'metrics-scraper') return checkScraper(ctx, request);
    if (!access || access.kind !== 'token') return;
    const user = await authenticate(ctx, request, 'any');
    if (access.role !== 'any' && user.role !== access.role) {
      throw new HubHttpError(
        403,
        access.forbiddenCode ?? 'forbidden',
        `This is for ${access.who} only; this account cannot use it.`,
      );
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (bodyStillArriving(request)) reply.header('connection', 'close');
    return payload;
  });
}

/**
 * The scrape token is a setting of the deployment, not an account: Prometheus sends it as a
 * bearer token. Without one configured, /metrics is off (404), never open.
 */
function checkScraper(ctx: HubContext, request: FastifyRequest): void {
  const expected = ctx.metricsToken;
  if (!expected)
    throw new HubHttpError(404, 'metrics-off', 'Metrics are off: start the hub with DERMDESK_HUB_METRICS_TOKEN set.');
  const sent = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const a = createHash('sha256').update(sent).digest();
  const b = createHash('sha256').update(expected).digest();
  if (!timingSafeEqual(a, b))
    throw new HubHttpError(401, 'unauthenticated', 'Send the scrape token as a bearer token.');
}

/** True while a refused request's body has not been read (Node would otherwise drain it). */
function bodyStillArriving(request: FastifyRequest): boolean {
  const raw = request.raw;
  if (raw.complete) return false;
  return raw.headers['transfer-encoding'] !== undefined || Number(raw.headers['content-length'] ?? 0) > 0;
}
