import type { CaseRecord } from '../../../shared/domain/case';
import { EARLIER_CASES_LIMIT, planSummary, type EarlierCase } from '../../../shared/hub-api/earlier-cases-api';
import { access } from './case-rows';
import { latestDecisions } from './decision-store';
import type { Q } from './store-context';

/**
 * The patient's earlier cases (see shared/hub-api/earlier-cases-api.ts for the rule): one range
 * read of the `cases_patient` index (verified NHS number, receipt time), newest first, capped.
 */
export async function earlierCases(q: Q, caseId: string, limit: number = EARLIER_CASES_LIMIT): Promise<EarlierCase[]> {
  const rows = await earlierRows(q, caseId, limit);
  if (rows.length === 0) return [];
  const decided = await latestDecisions(
    q,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const record = JSON.parse(r.record_json) as CaseRecord;
    const latest = decided.get(r.id)?.decision;
    return {
      id: r.id,
      receivedAt: record.referral.receivedAt,
      referral: {
        priority: record.referral.priority,
        presentingComplaint: record.referral.presentingComplaint,
        duration: record.referral.duration,
        site: record.referral.site,
      },
      decision: latest
        ? {
            id: latest.id,
            version: latest.version,
            outcome: latest.outcome.kind,
            diagnosis: latest.diagnosis,
            planSummary: planSummary(latest.plan),
            signedBy: latest.signedBy,
            signedAt: latest.signedAt,
          }
        : null,
      images: record.images.map((image) => ({ ...image, bodySite: record.referral.site.region })),
    };
  });
}

async function earlierRows(q: Q, caseId: string, limit: number): Promise<Array<{ id: string; record_json: string }>> {
  const self = await q.db
    .selectFrom('cases')
    .select(['verified_nhs_number', 'patient_birth_date', 'received_at'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!self?.verified_nhs_number || !self.patient_birth_date) return [];
  return q.db
    .selectFrom('cases as c')
    .select(['c.id', 'c.record_json'])
    .where('c.verified_nhs_number', '=', self.verified_nhs_number)
    .where('c.patient_birth_date', '=', self.patient_birth_date)
    .where('c.received_at', '<', self.received_at)
    .where('c.id', '!=', caseId)
    .where('c.status', '!=', 'withdrawn')
    .where(({ or, exists, selectFrom }) =>
      or([
        exists(selectFrom('decisions as d').select('d.id').whereRef('d.case_id', '=', 'c.id')),
        exists(selectFrom('case_images as i').select('i.sha256').whereRef('i.case_id', '=', 'c.id')),
      ]),
    )
    .orderBy('c.received_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * True when `earlierId` is one of the earlier cases served with a case the consultant holds
 * (leased to them, or decided by them): exactly the images GET /cases/:id told them about, and
 * no other patient's. Later cases of the same patient are few, so they are checked one by one
 * against the same rule that built the list (cap included).
 */
export async function isEarlierCaseOfMine(
  q: Q,
  earlierId: string,
  consultantId: string,
  now: string,
): Promise<boolean> {
  const earlier = await q.db
    .selectFrom('cases')
    .select(['verified_nhs_number', 'patient_birth_date', 'received_at'])
    .where('id', '=', earlierId)
    .executeTakeFirst();
  if (!earlier?.verified_nhs_number || !earlier.patient_birth_date) return false;
  const later = await q.db
    .selectFrom('cases')
    .select('id')
    .where('verified_nhs_number', '=', earlier.verified_nhs_number)
    .where('patient_birth_date', '=', earlier.patient_birth_date)
    .where('received_at', '>', earlier.received_at)
    .where('assigned_to', '=', consultantId)
    .execute();
  for (const { id } of later) {
    if ((await access(q, id, consultantId, now)) !== 'mine') continue;
    if ((await earlierRows(q, id, EARLIER_CASES_LIMIT)).some((r) => r.id === earlierId)) return true;
  }
  return false;
}
