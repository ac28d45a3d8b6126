import { earlierCaseSchema, type EarlierCase } from '../../../shared/hub-api/earlier-cases-api';
import type { Db } from '../db/open-database';
import type { PriorCase } from './case-detail';

/**
 * The patient's earlier cases the hub sent with a case, kept read-only beside it (migration
 * 0015). Replaced whole each time the case is stored with a list; removed with the case.
 */
export function storeEarlierCases(db: Db, caseId: string, entries: readonly EarlierCase[]): void {
  db.prepare('DELETE FROM earlier_cases WHERE case_id = ?').run(caseId);
  const insertCase = db.prepare(
    'INSERT INTO earlier_cases (case_id, earlier_id, position, entry_json) VALUES (?, ?, ?, ?)',
  );
  const insertImage = db.prepare(
    'INSERT OR IGNORE INTO earlier_case_images (case_id, earlier_id, sha256, bytes) VALUES (?, ?, ?, ?)',
  );
  entries.forEach((entry, position) => {
    insertCase.run(caseId, entry.id, position, JSON.stringify(entry));
    for (const image of entry.images) insertImage.run(caseId, entry.id, image.sha256, image.bytes);
  });
}

/**
 * The earlier cases stored with `caseId`, in the hub's order (newest first). A row that no longer
 * reads as the schema (written by a newer version, damaged) is left out rather than shown wrong.
 */
export function earlierCasesOf(db: Db, caseId: string): EarlierCase[] {
  const rows = db
    .prepare('SELECT entry_json FROM earlier_cases WHERE case_id = ? ORDER BY position')
    .all(caseId) as Array<{ entry_json: string }>;
  const out: EarlierCase[] = [];
  for (const row of rows) {
    let raw: unknown;
    try {
      raw = JSON.parse(row.entry_json);
    } catch {
      continue;
    }
    const parsed = earlierCaseSchema.safeParse(raw);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** The earlier cases' originals a cached case needs (for a sync to fetch any that is missing). */
export function earlierImagesOf(db: Db, caseId: string): Array<{ sha256: string; bytes: number }> {
  return db.prepare('SELECT DISTINCT sha256, bytes FROM earlier_case_images WHERE case_id = ?').all(caseId) as Array<{
    sha256: string;
    bytes: number;
  }>;
}

/** An earlier case from the hub as the case view lists it: read-only, with the hub's decision. */
export function priorFromHub(e: EarlierCase): PriorCase {
  return {
    id: e.id,
    receivedAt: e.receivedAt,
    presentingComplaint: e.referral.presentingComplaint,
    state: null,
    source: 'hub',
    images: e.images.map(({ bodySite: _site, ...image }) => image),
    outcome: e.decision
      ? {
          kind: e.decision.outcome,
          diagnosis: e.decision.diagnosis?.label ?? null,
          signedAt: e.decision.signedAt,
          signedBy: e.decision.signedBy.displayName,
          planSummary: e.decision.planSummary,
        }
      : null,
  };
}

/**
 * One list of the patient's earlier cases from both sources, newest first, each case once: a case
 * this workstation has cached is shown from the cache (its local state and decision), taking the
 * hub's decision only when nothing was decided on it here.
 */
export function mergePriorCases(cached: readonly PriorCase[], fromHub: readonly EarlierCase[]): PriorCase[] {
  const byId = new Map(cached.map((p) => [p.id, p]));
  for (const e of fromHub) {
    const local = byId.get(e.id);
    const hub = priorFromHub(e);
    byId.set(e.id, local ? { ...local, outcome: local.outcome ?? hub.outcome } : hub);
  }
  return [...byId.values()].sort((a, b) =>
    a.receivedAt === b.receivedAt ? b.id.localeCompare(a.id) : b.receivedAt.localeCompare(a.receivedAt),
  );
}
