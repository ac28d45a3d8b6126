import type { CaseRecord } from '../../../shared/domain/case';
import type { SignedDecision, SignedMarks } from '../../../shared/domain/decision';
import type { Letterhead } from '../../../shared/domain/letterhead';
import type { AnnotationDoc } from '../../../shared/domain/viewer/annotations';
import type { IssuedLetter, LetterAttestation, LetterCopy } from '../hub-repository';
import { lockCase } from './case-rows';
import { inTx, type Q } from './store-context';
import type { HubTables } from './tables';

/** An `issued_letters` row as stored (tables.ts, migration 90). */
type IssuedLetterDbRow = HubTables['issued_letters'];

function toIssuedLetter(r: IssuedLetterDbRow): IssuedLetter {
  return {
    decisionId: r.decision_id,
    caseId: r.case_id,
    issuedAt: r.issued_at,
    record: JSON.parse(r.record_json) as CaseRecord,
    marks: JSON.parse(r.marks_json) as SignedMarks[],
    letterhead: JSON.parse(r.letterhead_json) as Letterhead,
    attestation: r.attestation_json ? (JSON.parse(r.attestation_json) as LetterAttestation) : null,
    letterSha256: r.letter_sha256,
    patientCopySha256: r.patient_copy_sha256,
  };
}

const COLUMN: Record<LetterCopy, 'letter_sha256' | 'patient_copy_sha256'> = {
  letter: 'letter_sha256',
  'patient-copy': 'patient_copy_sha256',
};

/**
 * Fixes what the decision's letter depends on, inside the transaction that accepts it (the case
 * row already locked, so no annotation save interleaves): the case record as it stands, the
 * letterhead in force, the hub's attestation and the marks. The marks are the ones the decision says it was signed with
 * (`decision.marks`, checked against the case's own images): the workstation's outbox may deliver
 * a mark made before signing after the decision (a row in back-off, a refused save, an edit after
 * signing folded into an earlier queued save), so neither arrival order nor anybody's clock can
 * say which marks belong to the decision; the decision itself can. A decision without them (an
 * older workstation, marks too large to carry) gets the marks the hub holds now, by the hub's
 * own order of arrival. Never replaces a row already fixed (a replayed upload).
 */
export async function fixLetterInputs(
  t: Q,
  decision: Pick<SignedDecision, 'id' | 'caseId' | 'marks'> & { signedBy?: SignedDecision['signedBy'] },
  letterhead: Letterhead,
  now: string,
  /** The hub's receipt time of the decision for the attestation; `now` when fixed at acceptance. */
  receivedAt: string = now,
): Promise<void> {
  const kase = await t.db
    .selectFrom('cases')
    .select(['record_json', 'version'])
    .where('id', '=', decision.caseId)
    .executeTakeFirst();
  if (!kase) return;
  const record = { ...(JSON.parse(kase.record_json) as CaseRecord), version: kase.version };
  const images = new Set(record.images.map((i) => i.sha256));
  const signed = decision.marks ?? (await heldMarks(t, decision.caseId));
  const marks = signed.filter((m) => images.has(m.sha256) && m.doc.shapes.length > 0);
  // The hub's attestation as of now: the signer's registered name and GMC number (the account's,
  // the signer id having been checked against the token) and the hub's own receipt time.
  const signer = decision.signedBy
    ? await t.db
        .selectFrom('users')
        .select(['display_name', 'gmc_number'])
        .where('id', '=', decision.signedBy.id)
        .executeTakeFirst()
    : undefined;
  const attestation: LetterAttestation | null = signer
    ? { registeredName: signer.display_name, gmcNumber: signer.gmc_number, receivedByHubAt: receivedAt }
    : null;
  await t.db
    .insertInto('issued_letters')
    .values({
      decision_id: decision.id,
      case_id: decision.caseId,
      issued_at: now,
      record_json: JSON.stringify(record),
      marks_json: JSON.stringify(marks),
      letterhead_json: JSON.stringify(letterhead),
      attestation_json: attestation ? JSON.stringify(attestation) : null,
      letter_sha256: null,
      patient_copy_sha256: null,
    })
    .onConflict((oc) => oc.column('decision_id').doNothing())
    .execute();
}

async function heldMarks(t: Q, caseId: string): Promise<SignedMarks[]> {
  const rows = await t.db
    .selectFrom('image_annotations')
    .select(['sha256', 'doc_json'])
    .where('case_id', '=', caseId)
    .orderBy('sha256')
    .execute();
  return rows.map((r) => ({ sha256: r.sha256, doc: JSON.parse(r.doc_json) as AnnotationDoc }));
}

export async function issuedLetter(q: Q, decisionId: string): Promise<IssuedLetter | null> {
  const row = await q.db
    .selectFrom('issued_letters')
    .selectAll()
    .where('decision_id', '=', decisionId)
    .executeTakeFirst();
  return row ? toIssuedLetter(row) : null;
}

/**
 * The fixed inputs of a decision accepted before issued letters existed (or by a path that did
 * not fix them): fixed now, once, and never again, from the decision itself where it says (the
 * marks it was signed with, its signer for the attestation, with the hub's receipt time
 * `receivedAt`), otherwise from what the hub holds now.
 */
export async function issueLetterLate(
  q: Q,
  decision: Pick<SignedDecision, 'id' | 'caseId' | 'marks' | 'signedBy'>,
  letterhead: Letterhead,
  now: string,
  receivedAt: string = now,
): Promise<IssuedLetter | null> {
  return inTx(q, async (t) => {
    await lockCase(t, decision.caseId);
    await fixLetterInputs(t, decision, letterhead, now, receivedAt);
    return issuedLetter(t, decision.id);
  });
}

/**
 * Records the rendered bytes' address (and the attestation printed on them) unless another
 * request or hub process recorded its own first; returns the row as stored, so every caller
 * serves the first writer's bytes.
 */
export async function recordLetterBytes(
  q: Q,
  decisionId: string,
  copy: LetterCopy,
  sha256: string,
  attestation: LetterAttestation | null,
): Promise<IssuedLetter | null> {
  const column = COLUMN[copy];
  await q.db
    .updateTable('issued_letters')
    .set((eb) => ({
      [column]: sha256,
      attestation_json: eb.fn.coalesce('attestation_json', eb.val(attestation ? JSON.stringify(attestation) : null)),
    }))
    .where('decision_id', '=', decisionId)
    .where(column, 'is', null)
    .execute();
  return issuedLetter(q, decisionId);
}
