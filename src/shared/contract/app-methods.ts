import { z } from 'zod';
import { method } from './define';
import { cacheRecoverySchema } from './cache-recovery';

/**
 * Derived in core from who is signed in, the hub token, the last exchange with the hub and the
 * outbox (core/sync/sync-state.ts); `label` is what the status bar says.
 */
export const syncStateSchema = z.enum(['signed-out', 'sign-in-again', 'syncing', 'offline', 'error', 'idle']);

export const appStatusSchema = z.object({
  version: z.string(),
  schemaVersion: z.number().int(),
  consultant: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  sync: z.object({
    state: syncStateSchema,
    label: z.string(),
    hubUrl: z.string().nullable(),
    lastSyncedAt: z.string().nullable(),
    pendingDecisions: z.number().int().nonnegative(),
  }),
  /** Key loss: the cache was set aside and what the sealed journal delivered (null: nothing to tell). */
  cacheRecovery: cacheRecoverySchema.nullable(),
});
export type AppStatus = z.infer<typeof appStatusSchema>;

export const appMethods = {
  'app.status': method(z.object({}).strict(), appStatusSchema, 'Who is signed in, sync state, versions.'),
  'app.echo': method(
    z.object({ text: z.string().min(1).max(1000) }).strict(),
    z.object({ text: z.string(), receivedAt: z.string() }),
    'Round-trip check used by diagnostics and transport tests.',
  ),
};
