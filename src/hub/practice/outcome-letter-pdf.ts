import { createHash } from 'node:crypto';
import { keyImage } from '../../common/letters/key-image';
import { letterContent } from '../../common/letters/letter-content';
import { renderLetterPdf } from '../../common/letters/outcome-letter';
import { renderPatientCopyPdf } from '../../common/letters/patient-copy';
import type { SignedDecision } from '../../shared/domain/decision';
import type { InboxItem } from '../../shared/hub-api/practice-api';
import { HubHttpError } from '../http/hub-http-error';
import type { DoorsDeps } from '../intake/doors-deps';
import type { IssuedLetter, LetterAttestation, LetterCopy } from '../store/hub-repository';
import type { ObjectStore } from '../store/object-store';

/** Far above any letter (a few hundred KiB); stored bytes past it are treated as damaged. */
const LETTER_MAX_BYTES = 20 * 1024 * 1024;

/**
 * The outcome letter the hub issued for a case's latest decision: the common letter module's
 * wording and layout and the common key image (the consultant's marks burnt into the hub's copy
 * of the same original), plus the hub's attestation of the signer's registered name, GMC number
 * and receipt time. Null when the case has no decision.
 *
 * Issued once: everything it depends on (record, marks, letterhead) was fixed when the hub
 * accepted the decision (store/kysely/issued-letter-store.ts), it is rendered at the first
 * request and its bytes kept in the object store, and every later request (practice inbox and
 * FHIR Binary alike) is served those bytes. Rendered at first request rather than at acceptance:
 * the consultant's upload never waits for a photograph to be decoded, no background job (and its
 * lease row) is needed, and an amendment made before anyone downloads costs nothing. Two hub
 * processes rendering at once both serve the first one recorded.
 */
export async function outcomeLetterPdf(deps: DoorsDeps, item: InboxItem): Promise<Buffer | null> {
  return issuedCopy(deps, item, 'letter');
}

/**
 * The patient's plain-language copy of the same outcome (common/letters/patient-copy.ts), for a
 * practice that opted in (the route checks), issued the same way (the letterhead fixed at
 * acceptance, rendered once). Null when the case has no such decision.
 */
export async function patientCopyPdf(deps: DoorsDeps, item: InboxItem): Promise<Buffer | null> {
  return issuedCopy(deps, item, 'patient-copy');
}

async function issuedCopy(deps: DoorsDeps, item: InboxItem, copy: LetterCopy): Promise<Buffer | null> {
  const decision = (await deps.repo.decisionsForCase(item.caseId)).at(-1)?.decision;
  if (!decision || !item.outcome || decision.id !== item.outcome.decisionId) return null;
  const now = deps.now().toISOString();
  // A decision accepted before letters were fixed at acceptance is fixed now, once.
  const issued =
    (await deps.repo.issuedLetter(decision.id)) ??
    (await deps.repo.issueLetterLate(decision, deps.letterhead, now, item.outcome.receivedByHubAt));
  if (!issued) return null;
  const stored = addressOf(issued, copy);
  if (stored) {
    const read = await readVerified(deps.objects, stored);
    if (read.bytes) return read.bytes;
    return repair(deps, issued, decision, copy, stored, read.damaged, now);
  }
  const attestation: LetterAttestation = issued.attestation ?? {
    registeredName: item.outcome.signedBy.displayName,
    gmcNumber: item.outcome.gmcNumber,
    receivedByHubAt: item.outcome.receivedByHubAt,
  };
  const bytes = await render(deps, { ...issued, attestation }, decision, copy);
  const put = await deps.objects.put(bytes);
  const recorded = await deps.repo.recordLetterBytes(decision.id, copy, put.sha256, attestation);
  const winner = recorded ? addressOf(recorded, copy) : null;
  if (winner === put.sha256) return bytes;
  // Another request or hub process recorded its rendering first: serve that one, always, and
  // never this request's own (the letter issued is the one recorded). Should the winner's bytes
  // not be readable yet, the client retries; the next request repairs or serves them.
  const read = winner ? await readVerified(deps.objects, winner) : null;
  if (read?.bytes) return read.bytes;
  throw new HubHttpError(503, 'letter-unavailable', 'The issued letter cannot be read just now; try again shortly.');
}

/**
 * The stored bytes were lost (removed from the object store) or damaged (their hash no longer
 * matches their address). The letter is rendered again from its fixed inputs, never from the
 * case's current marks or the current letterhead; the rendering is deterministic (creation date =
 * the issue time), so the same inputs, photograph and libraries give the same bytes, which are
 * put back and the repair audited. Should they differ (the photograph itself was lost, a library
 * changed), the letter is not re-issued with other bytes (an issued letter never changes): the
 * failure is audited and the request answered 500, for an operator to restore the stored copy.
 */
async function repair(
  deps: DoorsDeps,
  issued: IssuedLetter,
  decision: SignedDecision,
  copy: LetterCopy,
  lost: string,
  damaged: boolean,
  now: string,
): Promise<Buffer> {
  const bytes = await render(deps, issued, decision, copy);
  const rendered = createHash('sha256').update(bytes).digest('hex');
  if (rendered !== lost) {
    await deps.repo.audit(
      'hub',
      'outcome.letter-repair-failed',
      issued.caseId,
      { decisionId: decision.id, copy, stored: lost, rendered, damaged },
      now,
    );
    throw new HubHttpError(
      500,
      'letter-unrecoverable',
      'The issued letter is lost or damaged and rendering it again did not give the same bytes; it is not re-issued. An operator must restore it from a backup of the object store.',
    );
  }
  // Damaged bytes go first: a store that keeps what it holds (same address, same size) would
  // otherwise keep them.
  if (damaged) await deps.objects.remove(lost);
  await deps.objects.put(bytes);
  await deps.repo.audit(
    'hub',
    'outcome.letter-repaired',
    issued.caseId,
    { decisionId: decision.id, copy, damaged },
    now,
  );
  return bytes;
}

async function render(
  deps: DoorsDeps,
  issued: IssuedLetter,
  decision: SignedDecision,
  copy: LetterCopy,
): Promise<Buffer> {
  const createdAt = new Date(issued.issuedAt);
  if (copy === 'patient-copy') {
    return renderPatientCopyPdf(issued.record, decision, { letterhead: issued.letterhead, createdAt });
  }
  const marks = new Map(issued.marks.map((m) => [m.sha256, m.doc]));
  // Strict: a photograph that fails to read or decode fails the render (the request answers 5xx
  // and nothing is recorded) rather than issuing, for good, a letter without its key image.
  const image = await keyImage(
    issued.record,
    { marksOf: (sha) => marks.get(sha) ?? null, original: (sha) => deps.readImage(sha) },
    { strict: true },
  );
  const hub = issued.attestation ?? {
    registeredName: decision.signedBy.displayName,
    gmcNumber: null,
    receivedByHubAt: issued.issuedAt,
  };
  return renderLetterPdf(
    letterContent(issued.record, decision, { hub, letterhead: issued.letterhead }),
    image,
    createdAt,
  );
}

function addressOf(issued: IssuedLetter, copy: LetterCopy): string | null {
  return copy === 'letter' ? issued.letterSha256 : issued.patientCopySha256;
}

type VerifiedRead = { bytes: Buffer; damaged?: never } | { bytes: null; damaged: boolean };

/**
 * The bytes at `sha256`; or null with `damaged: false` when the store says it has none, `damaged:
 * true` when they do not hash to their address (or are far too large to be a letter). Any other
 * error (a read failing, the store unavailable) propagates: it says nothing about the letter, and
 * must never lead to a repair.
 */
async function readVerified(objects: ObjectStore, sha256: string): Promise<VerifiedRead> {
  const size = await objects.size(sha256);
  if (size === null) return { bytes: null, damaged: false };
  if (size > LETTER_MAX_BYTES) return { bytes: null, damaged: true };
  const chunks: Buffer[] = [];
  for await (const chunk of objects.read(sha256)) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  return createHash('sha256').update(bytes).digest('hex') === sha256 ? { bytes } : { bytes: null, damaged: true };
}
