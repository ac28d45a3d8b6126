import { changesResponseSchema } from '../../../shared/hub-api/consultant-api';
import type { CaseCache } from '../cases/case-cache';
import { moveCase } from '../case-state/case-state';
import type { Db } from '../db/open-database';
import type { HubClient } from '../hub-client/hub-client';
import { planChange } from './plan-change';
import { localFacts, markNeedsReview } from './store-case';
import type { SyncKv } from '../db/sync-kv';

export interface ApplyChangesDeps {
  db: Db;
  cases: CaseCache;
  kv: SyncKv;
  client: HubClient;
  /** Re-downloads one case (record + images) and stores it; throws if it cannot. */
  refresh: (caseId: string) => Promise<void>;
}

const MAX_PAGES = 1000;

/**
 * Reads the changes feed from the saved cursor and applies each entry (see planChange). The
 * cursor is saved after every page, in the same transaction as that page's local edits, so a
 * crash replays at most one page, and every step is idempotent.
 */
export async function applyChanges(deps: ApplyChangesDeps): Promise<number> {
  let applied = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const after = deps.kv.cursor();
    const { value } = await deps.client.json('GET', `/changes?after=${after}`, changesResponseSchema);
    // Refreshes need the network, so they run before the page's transaction.
    const plans = value.changes.map((change) => ({
      change,
      plan: planChange(change, localFacts(deps.db, change.caseId)),
    }));
    for (const { change, plan } of plans) {
      if (plan.kind === 'refresh' || (plan.kind === 'needs-review' && plan.refresh)) await deps.refresh(change.caseId);
    }
    // Nothing new (every sync ends with this read): no transaction, so no commit and no WAL fsync.
    if (plans.length === 0 && value.cursor <= after) break;
    deps.db.transaction(() => {
      for (const { change, plan } of plans) {
        const facts = localFacts(deps.db, change.caseId);
        switch (plan.kind) {
          case 'withdraw':
            moveCase(deps.db, change.caseId, 'withdrawn-by-referrer', plan.note);
            break;
          case 'needs-review':
            if (facts.unsyncedDecision) markNeedsReview(deps.db, facts.unsyncedDecision.id, change.caseId, plan.note);
            break;
          case 'remove':
            // Only reached with no unsynced decision: the case leaves the worklist whole.
            deps.db.prepare('DELETE FROM cases WHERE id = ?').run(change.caseId);
            break;
          case 'refresh':
          case 'ignore':
            break;
        }
        if (plan.kind !== 'ignore') applied++;
      }
      deps.kv.setCursor(Math.max(after, value.cursor));
    })();
    if (value.changes.length === 0 || value.cursor <= after) break;
  }
  return applied;
}
