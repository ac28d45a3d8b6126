import { z } from 'zod';

/**
 * The cache could not be read with the keychain's key and was set aside (never deleted); what the
 * sealed outbox journal delivered to the hub since. Null when there is nothing to tell.
 */
export const cacheRecoverySchema = z.object({
  /** When the unreadable cache was set aside (null: the notice was dismissed, entries remain). */
  movedAsideAt: z.string().nullable(),
  /** Journal entries of the lost cache not yet delivered (sign in to deliver them). */
  waiting: z.number().int().nonnegative(),
  /** Of those, signed decisions. */
  waitingDecisions: z.number().int().nonnegative(),
  /** Signed decisions the hub now holds from the journal (newly accepted or already there). */
  decisionsDelivered: z.number().int().nonnegative(),
  /** All entries delivered (decisions, hand-overs, audit rows). */
  delivered: z.number().int().nonnegative(),
  /** Entries the hub kept for an operator to review (unconfirmed, or the case changed). */
  heldForReview: z.number().int().nonnegative(),
  /** The hub's reason when an entry could not be delivered (kept on disk, tried again). */
  problem: z.string().nullable(),
});
export type CacheRecovery = z.infer<typeof cacheRecoverySchema>;
