import { z } from 'zod';
import { method } from './define';
import { syncStateSchema } from './app-methods';
import { cacheRecoverySchema } from './cache-recovery';

export { cacheRecoverySchema, type CacheRecovery } from './cache-recovery';

/** Where a running sync is; `cases`/`bytes` count what this run has to fetch, not the whole cache. */
export const syncProgressSchema = z.object({
  phase: z.enum(['sending', 'claiming', 'cases', 'images', 'changes', 'done']),
  casesDone: z.number().int().nonnegative(),
  casesTotal: z.number().int().nonnegative(),
  bytesDone: z.number().nonnegative(),
  bytesTotal: z.number().nonnegative(),
});
export type SyncProgress = z.infer<typeof syncProgressSchema>;

/** A signed decision the hub did not accept: shown to the consultant until they act on it. */
export const decisionIssueSchema = z.object({
  decisionId: z.string(),
  caseId: z.string(),
  patientName: z.string(),
  state: z.enum(['needs-review', 'rejected']),
  note: z.string(),
  signedAt: z.string(),
});
export type DecisionIssue = z.infer<typeof decisionIssueSchema>;

export const syncStatusSchema = z.object({
  state: syncStateSchema,
  /** What the status bar says (derived with `state`). */
  label: z.string(),
  /** "Sync now" can work (signed in with a token); otherwise the bar offers sign-in. */
  canSync: z.boolean(),
  hubUrl: z.string().nullable(),
  /** True when the hub is the one embedded in this app (demo data in the local data dir). */
  embeddedHub: z.boolean(),
  consultant: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  lastSyncedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  pendingDecisions: z.number().int().nonnegative(),
  progress: syncProgressSchema.nullable(),
  issues: z.array(decisionIssueSchema),
  /** Prefill for the sign-in dialog (demo mode only: the embedded hub's demo account). */
  signInDefaults: z.object({ username: z.string(), password: z.string() }).nullable(),
  /** Key loss: the cache was set aside, and what the sealed journal delivered (see CacheRecovery). */
  cacheRecovery: cacheRecoverySchema.nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const syncRunResultSchema = z.object({
  claimed: z.number().int().nonnegative(),
  casesStored: z.number().int().nonnegative(),
  imagesStored: z.number().int().nonnegative(),
  changesApplied: z.number().int().nonnegative(),
  decisionsSent: z.number().int().nonnegative(),
  /** What went wrong without failing the sync (an earlier case the hub sent malformed, or one
   * of its images not fetched), in plain words; absent when nothing did. */
  warnings: z.array(z.string()).optional(),
});
export type SyncRunResult = z.infer<typeof syncRunResultSchema>;

export const syncMethods = {
  'sync.status': method(
    z.object({}).strict(),
    syncStatusSchema,
    'Sync state, hub, consultant, decisions needing attention.',
  ),
  'sync.signIn': method(
    z
      .object({
        hubUrl: z.string().url().max(500).optional(),
        username: z.string().min(1).max(200),
        password: z.string().min(1).max(1000),
      })
      .strict(),
    syncStatusSchema,
    'Signs in to the hub; the token goes to the keychain only.',
  ),
  'sync.signOut': method(z.object({}).strict(), syncStatusSchema, 'Revokes the hub token and forgets it.'),
  'sync.dismissCacheNotice': method(
    z.object({}).strict(),
    syncStatusSchema,
    'Hides the "cache set aside" notice (entries still waiting keep it shown).',
  ),
  'sync.run': method(
    z.object({ claim: z.number().int().min(0).max(100).default(10) }).strict(),
    syncRunResultSchema,
    'Sends waiting decisions, claims up to `claim` new cases, downloads them and applies the changes feed.',
  ),
};
