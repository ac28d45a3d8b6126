import type { FastifyInstance } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * The hub's structured JSON log (pino, Fastify's own logger). It is built so that no patient data
 * can reach it: a request is logged by its route PATTERN (`/api/v1/patient-links/:token/submit`),
 * never its URL (which carries one-time link tokens and case ids), bodies are never logged, and an
 * error is logged by its type, code and stack frames without its message (a message may quote a
 * field's value). Headers that carry secrets are redacted should anything log a request.
 */
export function createHubLogger(options: { destination?: DestinationStream; level?: string } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'dermdesk-hub' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.url',
          'req.body',
          'body',
          '*.password',
          '*.token',
        ],
        censor: '[redacted]',
      },
      serializers: { err: errorWithoutMessage },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** One line per request: who answered what, how fast; nothing the client sent. */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
}

function errorWithoutMessage(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const e = error as Error & { code?: unknown; statusCode?: unknown };
  return {
    type: e.name,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
    // The frames only: the first line of a stack repeats the message.
    frames: (e.stack ?? '')
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .slice(0, 12),
  };
}
