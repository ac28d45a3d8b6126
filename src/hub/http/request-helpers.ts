import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { tokenHash } from '../auth/tokens';
import type { HubContext } from '../hub-context';
import type { UserRole, UserRow } from '../store/hub-repository';
import { HubHttpError } from './hub-http-error';

/** Validates a body with a shared zod schema; the first issue becomes a 400 naming its field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || undefined;
  throw new HubHttpError(
    400,
    'invalid-request',
    `The request is not valid${field ? ` at ${field}` : ''}: ${issue?.message ?? 'unknown problem'}.`,
    field,
  );
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/;

/** Token lookups already made for a request (the onRequest access check, then the handler). */
const signedIn = new WeakMap<FastifyRequest, Promise<UserRow & { tokenHash: string }>>();

/** The signed-in user behind the request's bearer token, who must hold `role`. */
export async function authenticate(
  ctx: HubContext,
  request: FastifyRequest,
  role: UserRole | 'any' = 'consultant',
): Promise<UserRow & { tokenHash: string }> {
  let lookup = signedIn.get(request);
  if (!lookup) {
    lookup = tokenUser(ctx, request);
    signedIn.set(request, lookup);
  }
  const user = await lookup;
  if (role !== 'any' && user.role !== role)
    throw new HubHttpError(403, 'forbidden-role', `This route is for ${role} accounts only.`);
  return user;
}

async function tokenUser(ctx: HubContext, request: FastifyRequest): Promise<UserRow & { tokenHash: string }> {
  const challenge = { 'www-authenticate': 'Bearer realm="dermdesk-hub"' };
  const m = BEARER.exec(request.headers.authorization ?? '');
  if (!m?.[1]) throw new HubHttpError(401, 'unauthenticated', 'Sign in to the hub first.', undefined, challenge);
  const hash = tokenHash(m[1]);
  const token = await ctx.repo.findToken(hash);
  if (!token)
    throw new HubHttpError(
      401,
      'unauthenticated',
      'This sign-in is not known to the hub; sign in again.',
      undefined,
      challenge,
    );
  if (token.revokedAt)
    throw new HubHttpError(401, 'token-revoked', 'You were signed out; sign in again.', undefined, challenge);
  if (token.expiresAt <= ctx.now().toISOString()) {
    throw new HubHttpError(401, 'token-expired', 'Your sign-in has expired; sign in again.', undefined, challenge);
  }
  const user = await ctx.repo.findUserById(token.userId);
  if (!user) throw new HubHttpError(401, 'unauthenticated', 'This account no longer exists.', undefined, challenge);
  if (user.deactivatedAt)
    throw new HubHttpError(401, 'account-deactivated', 'This account has been deactivated.', undefined, challenge);
  return { ...user, tokenHash: hash };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Path ids are UUIDs; anything else is simply not found (no hint about what exists). */
export function caseIdParam(value: string | undefined): string {
  if (!value || !UUID.test(value)) throw new HubHttpError(404, 'case-not-found', 'No such case is assigned to you.');
  return value.toLowerCase();
}

/** Deterministic JSON (sorted keys) so the same payload always has the same fingerprint. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
