import type { LinkGuard, PatientLinkRow } from '../hub-repository';
import { patientLinkFromRow } from './door-store';
import { inTx, type Q } from './store-context';

/**
 * Wrong dates of birth per patient link (migration 21): counted and locked in one transaction,
 * so guesses spread over several hub processes or addresses still add up.
 */
export async function recordLinkFailure(q: Q, linkId: string, at: string, lockAt: number): Promise<LinkGuard> {
  return inTx(q, async (t) => {
    await t.db
      .insertInto('patient_link_guards')
      .values({ link_id: linkId, failures: 1, last_failure_at: at, locked_at: null })
      .onConflict((oc) =>
        oc.column('link_id').doUpdateSet((eb) => ({
          failures: eb('patient_link_guards.failures', '+', 1),
          last_failure_at: at,
        })),
      )
      .execute();
    await t.db
      .updateTable('patient_link_guards')
      .set({ locked_at: at })
      .where('link_id', '=', linkId)
      .where('locked_at', 'is', null)
      .where('failures', '>=', lockAt)
      .execute();
    return (await linkGuard(t, linkId))!;
  });
}

export async function linkGuard(q: Q, linkId: string): Promise<LinkGuard | null> {
  const r = await q.db
    .selectFrom('patient_link_guards')
    .select(['failures', 'locked_at'])
    .where('link_id', '=', linkId)
    .executeTakeFirst();
  return r ? { failures: Number(r.failures), lockedAt: r.locked_at } : null;
}

export async function lockedLinksOf(q: Q, odsCode: string): Promise<Array<LinkGuard & { link: PatientLinkRow }>> {
  const rows = await q.db
    .selectFrom('patient_link_guards as g')
    .innerJoin('patient_links as l', 'l.id', 'g.link_id')
    .selectAll('l')
    .select(['g.failures', 'g.locked_at'])
    .where('l.ods_code', '=', odsCode)
    .where('g.locked_at', 'is not', null)
    .orderBy('g.locked_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    failures: Number(r.failures),
    lockedAt: r.locked_at,
    link: patientLinkFromRow(r),
  }));
}
