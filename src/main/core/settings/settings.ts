import { z } from 'zod';

/** Non-secret preferences. Secrets never go here (see SecretStore). */
export const settingsSchema = z.object({
  hubUrl: z.string().url().nullable().default(null),
  autoLockMinutes: z.number().int().min(1).max(120).default(15),
  /** Days a case stays cached after the hub confirmed its decision; nothing unsynced is purged. */
  retentionDays: z.number().int().min(0).max(3650).default(30),
  /**
   * The hub's public sealing key (GET /sealing-key): the outbox journal is encrypted to it. Public,
   * not secret; kept here, not in the cache, because it must outlive a cache whose key was lost.
   */
  hubSealingKey: z
    .object({ hubUrl: z.string(), keyId: z.string().regex(/^[0-9a-f]{16}$/), publicKey: z.string() })
    .nullable()
    .default(null),
  viewer: z
    .object({
      pixelated: z.boolean().default(true),
    })
    .default({ pixelated: true }),
});
export type Settings = z.infer<typeof settingsSchema>;

/** The settings port: conf in core and on the test host, electron-store in the shell. */
export interface SettingsStore {
  get(): Settings;
  update(patch: Partial<Settings>): Settings;
}
