import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller, DoorsDeps } from '../intake/doors-deps';
import type { DoorsRepository, PracticeAccount } from '../store/hub-repository';

export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  field?: string,
): FastifyReply {
  return reply.code(status).send({ error: field ? { code, message, field } : { code, message } });
}

/** The calling practice (role gp-practice with a practice account), or a 401/403 already sent. */
export async function requirePractice(
  deps: DoorsDeps,
  store: DoorsRepository,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<{ caller: Caller; practice: PracticeAccount } | null> {
  const caller = await deps.authenticate(request);
  if (!caller) {
    sendError(reply, 401, 'unauthenticated', 'Sign in with your practice account.');
    return null;
  }
  const practice = caller.role === 'gp-practice' ? await store.practiceAccount(caller.userId) : null;
  if (!practice) {
    sendError(reply, 403, 'forbidden', 'Only a GP practice account can do this.');
    return null;
  }
  return { caller, practice };
}

/** The operator (role admin), or a 401/403 already sent. */
export async function requireOperator(
  deps: DoorsDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Caller | null> {
  const caller = await deps.authenticate(request);
  if (!caller) {
    sendError(reply, 401, 'unauthenticated', 'Sign in with an operator account.');
    return null;
  }
  if (caller.role !== 'admin') {
    sendError(reply, 403, 'forbidden', 'Only the service operator can see this.');
    return null;
  }
  return caller;
}
