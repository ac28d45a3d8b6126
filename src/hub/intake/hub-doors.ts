import Database from 'better-sqlite3-multiple-ciphers';
import type { FastifyInstance } from 'fastify';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../auth/password';
import { newToken, tokenHash } from '../auth/tokens';
import { leaseEnd, type HubContext } from '../hub-context';
import { authenticate } from '../http/request-helpers';
import { dashboardRoutes } from '../dashboard/dashboard-routes';
import { feedbackRoutes } from '../feedback/feedback-routes';
import { patientLinkRoutes, type PatientLinkLimits } from '../patient-links/patient-link-routes';
import { practiceRoutes } from '../practice/practice-routes';
import { webRoutes } from '../web/web-routes';
import { migrateDoorsSchema } from './doors-schema';
import type { DoorsDeps } from './doors-deps';
import { DoorsStore } from './doors-store';
import { intakeRoutes } from './intake-routes';
import { loopRoutes } from '../loop/loop-routes';
import { fhirRoutes } from '../fhir/fhir-routes';
import { randomUUID } from 'node:crypto';
import { seedDoorsDemo } from '../practice/seed-doors-demo';

export interface HubDoorsOptions {
  patientLinkLimits?: PatientLinkLimits;
  /** Seed the demo practice and operator accounts (see practice/seed-doors-demo.ts). */
  demo?: boolean;
}

/** Opens the doors' own connection to the hub's SQLite file (WAL: both connections see one database). */
export function openDoorsStore(dbFile: string): { db: Database.Database; store: DoorsStore } {
  const db = new Database(dbFile);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 10000');
    migrateDoorsSchema(db);
    return { db, store: new DoorsStore(db) };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Builds the port the doors use from the core's context. */
export function doorsDepsFrom(ctx: HubContext, db: Database.Database): DoorsDeps {
  const caller = (u: { id: string; username: string; displayName: string; role: string }) => ({
    userId: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
  });
  return {
    db,
    repo: ctx.repo,
    async putImage(sha256, bytes) {
      const stored = await ctx.objects.put(bytes);
      if (stored.sha256 !== sha256) throw new Error('object store address mismatch');
    },
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
      // The core's sign-in limits apply to every account, practices included.
      const nowMs = ctx.now().getTime();
      const key = username.normalize('NFC').toLowerCase();
      if (ctx.loginPerUser.retryAfterMs(`practice:${key}`, nowMs) > 0) return 'rate-limited';
      const user = await ctx.repo.findUserByUsername(username);
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
      if (!user || !ok) {
        ctx.loginPerUser.record(`practice:${key}`, nowMs);
        return null;
      }
      ctx.loginPerUser.reset(`practice:${key}`);
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
  dbFile: string,
  options: HubDoorsOptions = {},
): Promise<DoorsStore> {
  const { db, store } = openDoorsStore(dbFile);
  app.addHook('onClose', async () => db.close());
  const deps = doorsDepsFrom(ctx, db);
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
