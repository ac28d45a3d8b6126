import type { FastifyInstance } from 'fastify';
import { newAccountRequestSchema } from '../../shared/hub-api/account-api';
import { HUB_API_PREFIX } from '../../shared/hub-api/consultant-api';
import type { HubContext } from '../hub-context';
import { HubHttpError } from '../http/hub-http-error';
import { authenticate, parseWith } from '../http/request-helpers';
import { userRoles, type UserRole } from '../store/hub-repository';
import { AccountAdmin } from './account-admin';

const ACCOUNTS = `${HUB_API_PREFIX}/ops/accounts`;

/**
 * The operator page's account work (/ops): the same AccountAdmin as `npm run hub -- admin`, so the
 * rules, the generated passwords and the audit are one. Only an operator's token reaches these
 * (route-policies.ts checks it before the body is read); the audit names that operator.
 */
export function registerAccountRoutes(app: FastifyInstance, ctx: HubContext): void {
  const adminFor = async (request: Parameters<typeof authenticate>[1]) => {
    const operator = await authenticate(ctx, request, 'admin');
    // Named as the CLI names its operator, so the account audit reads the same from either.
    const admin = new AccountAdmin({ repo: ctx.repo, now: ctx.now, actor: `operator:${operator.username}` });
    return { admin, operator: operator.username };
  };

  app.get<{ Querystring: { role?: string } }>(ACCOUNTS, async (request) => {
    const { admin } = await adminFor(request);
    const role = request.query.role;
    if (role !== undefined && !userRoles.includes(role as UserRole))
      throw new HubHttpError(400, 'invalid-request', `role is one of ${userRoles.join(', ')}.`, 'role');
    return { accounts: await admin.list(role as UserRole | undefined) };
  });

  app.post(ACCOUNTS, async (request, reply) => {
    const { admin } = await adminFor(request);
    const input = parseWith(newAccountRequestSchema, request.body);
    return reply.code(201).send(await admin.create(input));
  });

  app.post<{ Params: { username: string } }>(`${ACCOUNTS}/:username/deactivate`, async (request) => {
    const { admin, operator } = await adminFor(request);
    // From the page, never one's own account: it would end the session doing it and could leave
    // the region with no operator who can sign in. Another operator, or the hub's CLI, can.
    if (request.params.username.toLowerCase() === operator.toLowerCase())
      throw new HubHttpError(
        409,
        'own-account',
        'You cannot deactivate the account you are signed in with. Ask another operator, or use `npm run hub -- admin deactivate` on the hub.',
      );
    return { account: await admin.deactivate(request.params.username) };
  });

  app.post<{ Params: { username: string } }>(`${ACCOUNTS}/:username/reactivate`, async (request) => {
    const { admin } = await adminFor(request);
    return { account: await admin.reactivate(request.params.username) };
  });

  app.post<{ Params: { username: string } }>(`${ACCOUNTS}/:username/reset-password`, async (request) => {
    const { admin } = await adminFor(request);
    return admin.resetPassword(request.params.username);
  });
}
