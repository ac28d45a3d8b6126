import { AppError } from '../../../shared/contract/errors';
import type { Db } from '../db/open-database';
import { SyncKv, type ConsultantRef } from '../db/sync-kv';

/** Audit rows need an actor even before sign-in (a cache opened offline): this one says so. */
export const NOT_SIGNED_IN = 'not-signed-in';

/** The consultant signed in to this workstation (kept by sync in the kv table), or null. */
export function currentConsultant(db: Db): ConsultantRef | null {
  return new SyncKv(db).consultant();
}

/**
 * Signing and exporting need a named consultant: the decision and the letter carry their name,
 * and an export's audit row says who made the copy. `why` finishes the message for the action.
 */
export function requireConsultant(db: Db, why = 'a decision must carry your name'): ConsultantRef {
  const consultant = currentConsultant(db);
  if (!consultant) throw new AppError('forbidden', `Sign in to the referral hub first: ${why}.`, 'consultant');
  return consultant;
}
