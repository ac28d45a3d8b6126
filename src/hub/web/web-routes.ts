import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { renderGpInboxPage, renderGpReferPage } from './gp-pages';
import { PAGE_CSP } from './html';
import { renderAccountPasswordPage, renderFeedbackPage, renderOpsPage } from './other-pages';

const ASSETS_DIR = join(import.meta.dirname, 'assets');
/** Only these files are served: a closed list, so no path from the URL ever reaches the disk. */
const ASSETS: Record<string, string> = {
  'hub.css': 'text/css; charset=utf-8',
  'common.js': 'text/javascript; charset=utf-8',
  'image-picker.js': 'text/javascript; charset=utf-8',
  'body-map.js': 'text/javascript; charset=utf-8',
  'gp-refer.js': 'text/javascript; charset=utf-8',
  'gp-inbox.js': 'text/javascript; charset=utf-8',
  'patient.js': 'text/javascript; charset=utf-8',
  'ops.js': 'text/javascript; charset=utf-8',
  'feedback.js': 'text/javascript; charset=utf-8',
  'account-password.js': 'text/javascript; charset=utf-8',
};

/** Pages get a CSP that allows our own scripts and styles only (the core's default allows nothing). */
export function sendPage(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.code(status).header('content-security-policy', PAGE_CSP).type('text/html; charset=utf-8').send(html);
}

/** The hub's server-rendered pages for practices, patients and the operator, and their assets. */
export async function webRoutes(app: FastifyInstance): Promise<void> {
  // Rendered once: the pages hold no per-request data (patient pages are rendered per link).
  const gpRefer = renderGpReferPage();
  const gpInbox = renderGpInboxPage();
  const ops = renderOpsPage();
  const feedback = renderFeedbackPage();
  const accountPassword = renderAccountPasswordPage();
  app.get('/gp', async (_req, reply) => sendPage(reply, gpRefer));
  app.get('/gp/inbox', async (_req, reply) => sendPage(reply, gpInbox));
  app.get('/ops', async (_req, reply) => sendPage(reply, ops));
  app.get('/feedback', async (_req, reply) => sendPage(reply, feedback));
  app.get('/account/password', async (_req, reply) => sendPage(reply, accountPassword));
  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const type = Object.hasOwn(ASSETS, request.params.name) ? ASSETS[request.params.name] : undefined;
    if (!type) return reply.code(404).send({ error: { code: 'not-found', message: 'No such file.' } });
    const body = await readFile(join(ASSETS_DIR, request.params.name));
    return reply.type(type).header('cache-control', 'no-cache').send(body);
  });
}
