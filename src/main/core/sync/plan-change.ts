import type { Change } from '../../../shared/hub-api/consultant-api';
import type { LocalCaseState } from '../../../shared/domain/case';

/** What the workstation knows locally about the case a change names. */
export interface LocalCaseFacts {
  cached: boolean;
  state: LocalCaseState | null;
  hubVersion: number | null;
  /** A signed decision the hub has not accepted yet (pending, needs-review or rejected). */
  unsyncedDecision: { id: string; caseVersion: number } | null;
}

export type ChangePlan =
  | { kind: 'ignore' }
  | { kind: 'withdraw'; note: string }
  | { kind: 'refresh'; version: number }
  | { kind: 'needs-review'; note: string; refresh: boolean; version: number }
  | { kind: 'remove' };

/**
 * Pure: turns one changes-feed entry into what to do locally. The rule throughout is that a
 * decision the hub has not accepted is never dropped: a change that touches it sends it to
 * "needs review", where the consultant sees it.
 */
export function planChange(change: Change, local: LocalCaseFacts): ChangePlan {
  if (!local.cached) return { kind: 'ignore' };
  switch (change.kind) {
    case 'withdrawn':
      return {
        kind: 'withdraw',
        note: local.unsyncedDecision
          ? 'The referrer withdrew this case. Your signed decision was not accepted by the hub and is kept here.'
          : 'The referrer withdrew this case.',
      };
    case 'updated': {
      const newer = local.hubVersion === null || change.version > local.hubVersion;
      if (local.unsyncedDecision && local.unsyncedDecision.caseVersion < change.version) {
        return {
          kind: 'needs-review',
          note: `The referrer updated this case (version ${change.version}) after you decided on version ${local.unsyncedDecision.caseVersion}. Review the new information and amend your decision.`,
          refresh: newer,
          version: change.version,
        };
      }
      return newer ? { kind: 'refresh', version: change.version } : { kind: 'ignore' };
    }
    case 'reassigned':
      if (local.unsyncedDecision) {
        return {
          kind: 'needs-review',
          note: 'This case was reassigned to another consultant before your decision reached the hub.',
          refresh: false,
          version: change.version,
        };
      }
      return { kind: 'remove' };
  }
}
