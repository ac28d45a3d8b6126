import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { HubContext } from '../hub-context';
import { buildOpenApi } from '../openapi';
import { registerAnnotationRoutes } from '../routes/annotation-routes';
import { registerAuditRoutes } from '../routes/audit-routes';
import { registerAuthRoutes } from '../routes/auth-routes';
import { registerCaseRoutes } from '../routes/case-routes';
import { registerDecisionRoutes } from '../routes/decision-routes';
import { registerHealthRoutes } from '../routes/health-routes';
import { registerAccountRoutes } from '../admin/account-routes';
import { registerImageRoutes } from '../routes/image-routes';
import { registerSealedOutboxRoutes } from '../routes/sealed-outbox-routes';
import { FHIR_CONTENT_TYPE } from '../../shared/hub-api/fhir-bundle';
import { HubHttpError } from './hub-http-error';
import { createHubLogger, installRequestLog } from './hub-log';
import { installJsonParsers } from './json-body';
import { installRouteAccess } from './route-access';
import { securityHeaders } from './security-headers';

/** The default for a route the policy table sizes otherwise (route-policies.ts sets every route's). */
export const BODY_LIMIT_BYTES = 256 * 1024;

/** Fastify's own errors, as codes and messages a workstation (or its user) can act on. */
const fastifyErrors: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported-media-type',
    message: 'Send the body as application/json.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'malformed-json',
    message: 'The request body is empty; send JSON.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'malformed-json',
    message: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'malformed-request',
    message: 'The Content-Length does not match the body.',
  },
};

export interface BuildAppOptions {
  /** PEM certificate chain and private key: the hub serves HTTPS only (none: plain HTTP, for loopback). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Proxies whose X-Forwarded-For gives request.ip (trust-proxy.ts); unset, the socket's address. */
  trustProxy?: string[];
}

export function buildApp(ctx: HubContext, options: BuildAppOptions = {}): FastifyInstance {
  // forceCloseConnections: a stopping hub does not wait for long image downloads or idle keep-alive
  // sockets; clients reconnect (to its successor) and resume with Range.
  // Fastify's own per-request lines would log the raw URL (link tokens): ours log the route pattern.
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    loggerInstance: (ctx.log ?? createHubLogger({ level: 'silent' })) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: true,
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    // Fastify types an HTTPS server apart; every route and hook is the same, so one type serves both.
    ...(options.tls ? { https: { cert: options.tls.cert, key: options.tls.key } } : {}),
  }) as unknown as FastifyInstance;
  const routes: { method: string; url: string }[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(securityHeaders);
  });
  installRequestLog(app);
  ctx.metrics?.install(app);
  installRouteAccess(app, ctx);
  installJsonParsers(app, [FHIR_CONTENT_TYPE]);

  app.setErrorHandler((error: FastifyError | HubHttpError, request, reply) => {
    if (error instanceof HubHttpError) {
      return reply.code(error.status).headers(error.headers).send(error.toBody());
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const limit = request.routeOptions.bodyLimit ?? BODY_LIMIT_BYTES;
      return reply.code(413).send({
        error: {
          code: 'payload-too-large',
          message: `The request body is larger than this route takes (${limit} bytes).`,
        },
      });
    }
    const known = error.code ? fastifyErrors[error.code] : undefined;
    if (known) return reply.code(known.status).send({ error: { code: known.code, message: known.message } });
    // Fastify's JSON parser reports bad JSON (and __proto__ poisoning) as a SyntaxError with 400.
    if (error instanceof SyntaxError && error.statusCode === 400) {
      return reply
        .code(400)
        .send({ error: { code: 'malformed-json', message: 'The request body is not valid JSON.' } });
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return reply
        .code(error.statusCode)
        .send({ error: { code: 'bad-request', message: 'The request could not be understood.' } });
    }
    // Never a stack trace to the client; the details stay in the hub's log.
    request.log.error({ err: error, route: request.routeOptions.url ?? 'unmatched' }, 'unexpected error');
    return reply
      .code(500)
      .send({ error: { code: 'internal', message: 'The hub hit an unexpected error; try again later.' } });
  });
  app.setNotFoundHandler((_request, reply) => {
    return reply.code(404).send({ error: { code: 'not-found', message: 'No such route on this hub.' } });
  });

  registerAuthRoutes(app, ctx);
  registerCaseRoutes(app, ctx);
  registerImageRoutes(app, ctx);
  registerDecisionRoutes(app, ctx);
  registerAuditRoutes(app, ctx);
  registerSealedOutboxRoutes(app, ctx);
  registerAnnotationRoutes(app, ctx);
  registerHealthRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  app.get('/openapi.json', async () => buildOpenApi());
  app.decorate('hubRoutes', routes);
  return app;
}

/** Every route the app registered (without HEAD twins): the OpenAPI test checks each is documented. */
export function registeredRoutes(app: FastifyInstance): { method: string; url: string }[] {
  return (app as unknown as { hubRoutes: { method: string; url: string }[] }).hubRoutes;
}
