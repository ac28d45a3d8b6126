import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { refuseUnusableAccount } from '../auth/account-status';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/password';
import { newToken, tokenHash } from '../auth/tokens';
import { leaseEnd, type HubContext } from '../hub-context';
import { authenticate } from '../http/request-helpers';
import { dashboardRoutes } from '../dashboard/dashboard-routes';
import { feedbackRoutes } from '../feedback/feedback-routes';
import { patientLinkRoutes, type PatientLinkLimits } from '../patient-links/patient-link-routes';
import { practiceRoutes } from '../practice/practice-routes';
import { webRoutes } from '../web/web-routes';
import type { DoorsDeps } from './doors-deps';
import type { DoorsRepository } from '../store/hub-repository';
import { intakeRoutes } from './intake-routes';
import { loopRoutes } from '../loop/loop-routes';
import { fhirRoutes } from '../fhir/fhir-routes';
import { randomUUID } from 'node:crypto';
import { seedDoorsDemo } from '../practice/seed-doors-demo';
import { DEMO_LETTERHEAD } from '../../common/letters/letterhead';

export interface HubDoorsOptions {
  patientLinkLimits?: PatientLinkLimits;
  /** Seed the demo practice and operator accounts (see practice/seed-doors-demo.ts). */
  demo?: boolean;
}

/** Builds the port the doors use from the core's context. */
export function doorsDepsFrom(ctx: HubContext): DoorsDeps {
  const caller = (u: { id: string; username: string; displayName: string; role: string }) => ({
    userId: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
  });
  return {
    repo: ctx.repo,
    async putImage(sha256, bytes) {
      const stored = await ctx.objects.put(bytes);
      if (stored.sha256 !== sha256) throw new Error('object store address mismatch');
    },
    objects: ctx.objects,
    async readImage(sha256) {
      if ((await ctx.objects.size(sha256)) === null) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of ctx.objects.read(sha256)) chunks.push(chunk as Buffer);
      const bytes = Buffer.concat(chunks);
      // A short or damaged read is an error, never a different photograph.
      if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
        throw new Error(`the stored photograph ${sha256} does not hash to its address`);
      }
      return bytes;
    },
    letterhead: ctx.letterhead ?? DEMO_LETTERHEAD,
    async authenticate(request) {
      try {
        return caller(await authenticate(ctx, request, 'any'));
      } catch {
        return null;
      }
    },
    async issueToken(userId) {
      const token = newToken();
      const now = ctx.now();
      const expiresAt = new Date(now.getTime() + ctx.tokenTtlMinutes * 60_000).toISOString();
      await ctx.repo.insertToken(tokenHash(token), userId, now.toISOString(), expiresAt);
      return { token, expiresAt };
    },
    async verifyPassword(username, password) {
      // The core's sign-in limits apply to every account, practices included; counted before
      // the slow check (atomically, in the database), a success takes its count back.
      const key = `practice:${username.normalize('NFC').toLowerCase()}`;
      if ((await ctx.loginPerUser.take(key)) > 0) return 'rate-limited';
      const user = await ctx.repo.findUserByUsername(username);
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
      if (!user || !ok) return null;
      await ctx.loginPerUser.reset(key);
      refuseUnusableAccount(user);
      return caller(user);
    },
    async createUser(input) {
      const id = randomUUID();
      await ctx.repo.createUser(
        {
          id,
          username: input.username,
          displayName: input.displayName,
          role: input.role,
          passwordHash: await hashPassword(input.password),
        },
        ctx.now().toISOString(),
      );
      return id;
    },
    now: ctx.now,
    notifier: { has: (channel) => ctx.loop?.hasChannel(channel) ?? false },
    publicUrl: () => ctx.loop?.publicUrl() ?? '',
    kickLoop: () => ctx.loop?.kick(),
    leaseEnd: () => leaseEnd(ctx),
  };
}

/**
 * The hub's other doors (GP intake, the GP web form, patient links, the practice inbox, feedback,
 * the operator dashboard) as one Fastify plugin on the core's server. Registered by startHub.
 */
export async function registerHubDoors(
  app: FastifyInstance,
  ctx: HubContext,
  options: HubDoorsOptions = {},
): Promise<DoorsRepository> {
  const store: DoorsRepository = ctx.repo;
  const deps = doorsDepsFrom(ctx);
  if (options.demo) await seedDoorsDemo(deps, store);
  await app.register(async (scope) => {
    await intakeRoutes(scope, { deps, store });
    await practiceRoutes(scope, { deps, store });
    await patientLinkRoutes(scope, {
      deps,
      store,
      ...(options.patientLinkLimits ? { limits: options.patientLinkLimits } : {}),
    });
    await feedbackRoutes(scope, { deps, store });
    await dashboardRoutes(scope, { deps, store });
    await loopRoutes(scope, { deps, store });
    await fhirRoutes(scope, { deps, store });
    await webRoutes(scope);
  });
  return store;
}
