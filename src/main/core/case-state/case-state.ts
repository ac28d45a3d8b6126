import { AppError } from '../../../shared/contract/errors';
import { localCaseStates, type LocalCaseState } from '../../../shared/domain/case';
import type { Db } from '../db/open-database';

/**
 * The one owner of a cached case's state (`cases.state`, `cases.state_note`). Every change is a
 * named event; `nextCaseState` says, purely, what the event does from each state; `moveCase` is
 * the only code that writes the column (a test keeps it that way), inside the caller's
 * transaction, so the state moves together with the rows that caused it.
 *
 * An event outside its `from` states either leaves the case as it is (`keep`: e.g. the hub
 * accepting a decision for a case that was since withdrawn) or is refused with a message the
 * consultant can act on (`refuse`: e.g. signing a case that was passed on).
 */

const ALL: readonly LocalCaseState[] = localCaseStates;

interface Transition {
  from: readonly LocalCaseState[];
  to: LocalCaseState;
  /** What the event does from any other state. */
  otherwise: 'keep' | { refuse: string };
  /** The state note: replaced by the event's note, cleared, or left as it was. */
  note: 'set' | 'clear' | 'keep';
}

export const caseTransitions = {
  /** The consultant's first draft: the case shows as a draft. Later drafts (or a draft of an amendment) keep the state. */
  'draft-saved': { from: ['new'], to: 'draft', otherwise: 'keep', note: 'keep' },
  /** The draft was thrown away before anything was signed. */
  'draft-discarded': { from: ['draft'], to: 'new', otherwise: 'keep', note: 'keep' },
  /** A decision (or an amendment) was signed and queued for the hub. */
  'decision-signed': {
    from: ['new', 'draft', 'signed-pending-sync', 'synced', 'needs-review', 'rejected'],
    to: 'signed-pending-sync',
    otherwise: { refuse: 'This case is no longer on your worklist (withdrawn or passed on); it cannot be decided.' },
    note: 'clear',
  },
  /** Passed on to a colleague or subspecialty before any decision: it leaves the worklist. */
  'passed-on': {
    from: ['new', 'draft'],
    to: 'passed-on',
    otherwise: { refuse: 'Only a case waiting for triage, with no signed decision, can be passed on.' },
    note: 'set',
  },
  /** The hub accepted the case's decision. */
  'hub-accepted': {
    from: ['signed-pending-sync', 'needs-review', 'rejected'],
    to: 'synced',
    otherwise: 'keep',
    note: 'clear',
  },
  /** The hub refused the decision because the case changed (409/412): always shown, whatever the case was. */
  'hub-needs-review': { from: ALL, to: 'needs-review', otherwise: 'keep', note: 'set' },
  /** The hub rejected the decision (another 4xx): always shown. */
  'hub-rejected': { from: ALL, to: 'rejected', otherwise: 'keep', note: 'set' },
  /** The referrer updated or took back a case after an unsynced decision on an older version. */
  'decision-outdated': { from: ALL, to: 'needs-review', otherwise: 'keep', note: 'set' },
  /**
   * The referrer answered the consultant's "more information" decision (a new case version whose
   * answer names that decision, which the hub accepted): the case is back to triage. From any
   * other state (a decision not yet accepted, or already amended) the case stays as it is.
   */
  'information-answered': { from: ['synced'], to: 'new', otherwise: 'keep', note: 'set' },
  /** The referrer withdrew the case (the changes feed): kept, with a note, never deleted. */
  'withdrawn-by-referrer': { from: ALL, to: 'withdrawn', otherwise: 'keep', note: 'set' },
} as const satisfies Record<string, Transition>;

export type CaseEvent = keyof typeof caseTransitions;

export type CaseStep =
  | { kind: 'move'; to: LocalCaseState; note: Transition['note'] }
  | { kind: 'keep' }
  | { kind: 'refuse'; message: string };

/** What `event` does to a case in state `current` (pure). */
export function nextCaseState(current: LocalCaseState, event: CaseEvent): CaseStep {
  const t: Transition = caseTransitions[event];
  if (t.from.includes(current)) return { kind: 'move', to: t.to, note: t.note };
  return t.otherwise === 'keep' ? { kind: 'keep' } : { kind: 'refuse', message: t.otherwise.refuse };
}

/**
 * Applies `event` to the cached case `caseId` (call inside the transaction that made it happen).
 * Returns the state afterwards, or null when the case is not cached (nothing to move). A refused
 * event throws a `conflict` AppError, rolling back the caller's transaction.
 */
export function moveCase(db: Db, caseId: string, event: CaseEvent, note: string | null = null): LocalCaseState | null {
  const row = db.prepare('SELECT state FROM cases WHERE id = ?').get(caseId) as { state: LocalCaseState } | undefined;
  if (!row) return null;
  const step = nextCaseState(row.state, event);
  if (step.kind === 'refuse') throw new AppError('conflict', step.message, 'caseId');
  if (step.kind === 'keep') return row.state;
  if (step.note === 'keep') db.prepare('UPDATE cases SET state = ? WHERE id = ?').run(step.to, caseId);
  else
    db.prepare('UPDATE cases SET state = ?, state_note = ? WHERE id = ?').run(
      step.to,
      step.note === 'set' ? note : null,
      caseId,
    );
  return step.to;
}

/** `moveCase` for the case a signed decision belongs to (the outbox knows decisions by id). */
export function moveCaseOfDecision(
  db: Db,
  decisionId: string,
  event: CaseEvent,
  note: string | null = null,
): LocalCaseState | null {
  const row = db.prepare('SELECT case_id FROM decisions WHERE id = ?').get(decisionId) as
    { case_id: string } | undefined;
  return row ? moveCase(db, row.case_id, event, note) : null;
}

/**
 * Puts a case in `state` without an event: only for building test fixtures (a worklist with one
 * case in each state). Production code moves cases with `moveCase`.
 */
export function setCaseStateForFixture(db: Db, caseId: string, state: LocalCaseState, note: string | null): void {
  db.prepare('UPDATE cases SET state = ?, state_note = ? WHERE id = ?').run(state, note, caseId);
}
