import type { SignedDecision } from '../../shared/domain/decision';
import { decisionRuleViolations } from '../../shared/domain/outcome-rules';
import type { DecisionReceipt } from '../../shared/hub-api/consultant-api';
import type { AcceptDecisionResult, CaseAccess, CaseRow, CaseStatus, StoredDecision } from './hub-repository';

export type DecisionVerdict =
  | Extract<AcceptDecisionResult, { ok: false }>
  | { ok: 'replay'; receipt: DecisionReceipt }
  | { ok: 'accept'; newStatus: CaseStatus };

/**
 * Whether the hub accepts a signed decision, as pure logic (every backend runs it inside its
 * accept transaction). Signed decisions are immutable: the same id with other content is refused;
 * an amendment must be exactly the next version and name the decision it supersedes.
 */
export function judgeDecision(args: {
  consultantId: string;
  decision: SignedDecision;
  payloadHash: string;
  ifMatchVersion: number;
  access: CaseAccess;
  caseRow: CaseRow | null;
  existing: StoredDecision | null;
  latest: StoredDecision | null;
}): DecisionVerdict {
  const { decision, existing, latest, caseRow } = args;
  if (existing) {
    if (existing.payloadHash === args.payloadHash && existing.decision.signedBy.id === args.consultantId) {
      return { ok: 'replay', receipt: existing.receipt };
    }
    return fail(
      409,
      'decision-immutable',
      'This decision was already received with different content; sign an amendment instead.',
    );
  }
  if (args.access === 'not-found' || !caseRow) return fail(404, 'case-not-found', 'No such case is assigned to you.');
  if (args.access === 'withdrawn') {
    return fail(409, 'case-withdrawn', 'The referrer withdrew this case; the decision was not recorded.');
  }
  if (args.access === 'reassigned') {
    return fail(
      409,
      'case-reassigned',
      'This case is no longer assigned to you (lease expired or reassigned); the decision was not recorded.',
    );
  }
  if (decision.signedBy.id !== args.consultantId) {
    return fail(
      403,
      'signed-by-mismatch',
      'A decision can only be uploaded by the consultant who signed it.',
      'signedBy.id',
    );
  }
  if (decision.caseVersion !== args.ifMatchVersion) {
    return fail(
      400,
      'case-version-mismatch',
      'If-Match must name the case version the decision was made on.',
      'caseVersion',
    );
  }
  if (args.ifMatchVersion !== caseRow.record.version) {
    return fail(
      412,
      'case-version-stale',
      `The case changed on the hub (now version ${caseRow.record.version}, decided on ${args.ifMatchVersion}); review the update and decide again.`,
    );
  }
  if (!latest) {
    if (decision.version !== 1 || decision.supersedes !== null) {
      return fail(
        409,
        'amendment-without-original',
        'There is no earlier decision on this case to amend.',
        'supersedes',
      );
    }
  } else if (decision.version !== latest.decision.version + 1 || decision.supersedes !== latest.decision.id) {
    return fail(
      409,
      decision.version === 1 ? 'case-already-decided' : 'amendment-out-of-order',
      `This case already has decision version ${latest.decision.version} (${latest.decision.id}); an amendment must be version ${latest.decision.version + 1} superseding it.`,
      'supersedes',
    );
  }
  // The same clinical rules the workstation runs before signing (shared/domain/outcome-rules.ts),
  // against the hub's own copy of the referral: a decision that breaks one is never recorded.
  const violation = decisionRuleViolations(caseRow.record.referral, decision)[0];
  if (violation) return fail(422, violation.code, violation.message, violation.field);
  // The workstation's signing time is its own clock's claim (decisions are signed offline and
  // sent later, so it may be days before the hub's receipt); one before the hub received the
  // referral cannot be true.
  if (Date.parse(decision.signedAt) < Date.parse(caseRow.record.referral.receivedAt)) {
    return fail(
      422,
      'signed-before-referral',
      `The decision says it was signed at ${decision.signedAt}, before the referral reached the hub (${caseRow.record.referral.receivedAt}); check the workstation's clock and sign again.`,
      'signedAt',
    );
  }
  return { ok: 'accept', newStatus: decision.outcome.kind === 'more-information' ? 'awaiting-information' : 'decided' };
}

/** Where a consultant stands towards a case: theirs (leased, or decided by them), or why not. */
export function judgeAccess(row: CaseRow | null, consultantId: string, everAssigned: boolean, now: string): CaseAccess {
  if (!row) return 'not-found';
  if (row.status === 'withdrawn') return everAssigned ? 'withdrawn' : 'not-found';
  if (row.assignedTo === consultantId) {
    if (row.status !== 'open') return 'mine';
    if (row.leaseExpiresAt !== null && row.leaseExpiresAt > now) return 'mine';
  }
  return everAssigned ? 'reassigned' : 'not-found';
}

function fail(
  status: number,
  code: string,
  message: string,
  field?: string,
): Extract<AcceptDecisionResult, { ok: false }> {
  return field ? { ok: false, status, code, message, field } : { ok: false, status, code, message };
}
