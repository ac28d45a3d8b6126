import type { FastifyInstance } from 'fastify';
import { DEMO_LETTERHEAD } from '../../shared/domain/letterhead';
import { HUB_API_PREFIX, loginRequestSchema, type LoginResponse } from '../../shared/hub-api/consultant-api';
import { changePasswordRequestSchema } from '../../shared/hub-api/account-api';
import { refuseUnusableAccount } from '../auth/account-status';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/password';
import { retryAfterSeconds } from '../auth/rate-limiter';
import { newToken, tokenHash } from '../auth/tokens';
import type { HubContext } from '../hub-context';
import { HubHttpError } from '../http/hub-http-error';
import { authenticate, parseWith } from '../http/request-helpers';

/** Sign-in (failures rate limited per username and per client address) and sign-out (revokes the token). */
export function registerAuthRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.post(`${HUB_API_PREFIX}/auth/login`, async (request, reply) => {
    const body = parseWith(loginRequestSchema, request.body);
    // Counted before the (slow) password check, atomically in the database, so a burst of
    // parallel guesses (to any hub process) is limited too; a success takes its count back:
    // only failures should lock anyone out.
    const userKey = await takeAttempt(ctx, body.username, request.ip);
    const user = await ctx.repo.findUserByUsername(body.username);
    const ok = await verifyPassword(body.password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok) throw new HubHttpError(401, 'invalid-credentials', 'The username or password is not right.');
    await ctx.loginPerUser.reset(userKey);
    await ctx.loginPerIp.forget(request.ip);
    refuseUnusableAccount(user);
    const token = newToken();
    const now = ctx.now();
    const expiresAt = new Date(now.getTime() + ctx.tokenTtlMinutes * 60_000).toISOString();
    await ctx.repo.insertToken(tokenHash(token), user.id, now.toISOString(), expiresAt);
    const response: LoginResponse = {
      token,
      expiresAt,
      consultant: { id: user.id, displayName: user.displayName },
      letterhead: ctx.letterhead ?? DEMO_LETTERHEAD,
    };
    return reply.code(200).send(response);
  });

  // Choosing one's own password (after the operator set one): the current password proves who it
  // is, under the same per-username and per-address limits as sign-in.
  app.post(`${HUB_API_PREFIX}/auth/password`, async (request, reply) => {
    const body = parseWith(changePasswordRequestSchema, request.body);
    const userKey = await takeAttempt(ctx, body.username, request.ip);
    const user = await ctx.repo.findUserByUsername(body.username);
    const ok = await verifyPassword(body.currentPassword, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !ok)
      throw new HubHttpError(401, 'invalid-credentials', 'The username or current password is not right.');
    // A reset password is exactly what this route changes; a deactivated account changes nothing.
    if (user.deactivatedAt) refuseUnusableAccount(user);
    if (body.newPassword === body.currentPassword)
      throw new HubHttpError(
        422,
        'password-unchanged',
        'Choose a password different from the one you were given.',
        'newPassword',
      );
    await ctx.loginPerUser.reset(userKey);
    await ctx.repo.setPassword(user.id, await hashPassword(body.newPassword), null);
    await ctx.repo.audit(user.id, 'account.password-changed', user.id, {}, ctx.now().toISOString());
    return reply.code(204).send();
  });

  app.post(`${HUB_API_PREFIX}/auth/logout`, async (request, reply) => {
    // Whoever holds a token, of any role, may give it up.
    const user = await authenticate(ctx, request, 'any');
    await ctx.repo.revokeToken(user.tokenHash, ctx.now().toISOString());
    return reply.code(204).send();
  });
}

/** Counts one attempt for this username and this address; 429 when either is over its limit. */
async function takeAttempt(ctx: HubContext, username: string, ip: string): Promise<string> {
  const userKey = username.normalize('NFC').toLowerCase();
  const wait = Math.max(await ctx.loginPerUser.take(userKey), await ctx.loginPerIp.take(ip));
  if (wait > 0) {
    const seconds = retryAfterSeconds(wait);
    throw new HubHttpError(
      429,
      'too-many-attempts',
      `Too many sign-in attempts; try again in ${seconds} seconds.`,
      undefined,
      {
        'retry-after': String(seconds),
      },
    );
  }
  return userKey;
}
