import { randomUUID } from 'node:crypto';
import type { CaseRecord, ImageManifestEntry } from '../../shared/domain/case';
import { dueDate } from '../../shared/domain/working-days';
import type { IntakeReceipt, IntakeSubmission } from '../../shared/hub-api/intake-api';
import type {
  DoorAuditInput,
  DoorFailure,
  DoorSource,
  DoorsRepository,
  PracticeAccount,
} from '../store/hub-repository';
import type { DoorsDeps } from './doors-deps';
import type { ValidImage } from './validate-submission';
import { linkSubmittedAudit, type LinkSubmission } from '../patient-links/link-audit';

export function manifestEntry(image: ValidImage): ImageManifestEntry {
  return {
    id: randomUUID(),
    sha256: image.sha256,
    bytes: image.bytes,
    mediaType: image.mediaType,
    width: image.width,
    height: image.height,
    kind: image.kind,
    ...(image.takenAt ? { takenAt: image.takenAt } : {}),
  };
}

/**
 * Uploads cited by a stored case or answer are kept (never collected as stale). Done after the
 * case's transaction: should it fail, the collector still keeps bytes any case cites.
 */
export async function markCited(store: DoorsRepository, images: ValidImage[], at: string): Promise<void> {
  await store.markPhotoUploadsUsed(
    images.flatMap((i) => (i.uploadId ? [i.uploadId] : [])),
    at,
  );
}

/**
 * Turns a validated submission into a hub case: image bytes into the object store first (content
 * addressed, so a retry stores nothing twice), then ONE repository transaction writes the case,
 * its door row and its audit row, and spends the patient link it came through (if any): of two
 * submissions of one link, exactly one becomes a case. The hub stamps receipt time and the
 * practice; the SLA clock starts at receipt.
 */
export async function createCaseFromSubmission(
  deps: DoorsDeps,
  store: DoorsRepository,
  args: {
    submission: IntakeSubmission;
    images: ValidImage[];
    practice: PracticeAccount;
    source: DoorSource;
    actor: string;
    /** The patient link this submission came through, spent in the same transaction. */
    link?: LinkSubmission;
  },
): Promise<IntakeReceipt | DoorFailure> {
  const { submission, images, practice } = args;
  // Inline photographs are stored now; uploaded ones are in the store already (receive-photo.ts).
  for (const image of images) if (image.data) await deps.putImage(image.sha256, image.data);
  const receivedAt = deps.now().toISOString();
  const record: CaseRecord = {
    id: randomUUID(),
    version: 1,
    patient: submission.patient,
    practice: { odsCode: practice.odsCode, name: practice.practiceName, clinician: submission.clinician },
    referral: { ...submission.referral, receivedAt },
    images: images.map(manifestEntry),
  };
  const dueOn = dueDate(receivedAt);
  const audit: DoorAuditInput[] = [
    {
      actor: args.actor,
      action: 'referral.received',
      subject: record.id,
      detail: { source: args.source, images: images.length },
      at: receivedAt,
    },
  ];
  if (args.link) audit.push(linkSubmittedAudit(args.actor, args.link, record.id, receivedAt));
  const stored = await store.submitReferral({
    record,
    dueOn,
    now: receivedAt,
    source: args.source,
    submittedBy: args.actor,
    audit,
    ...(args.link ? { spendLinkId: args.link.id } : {}),
  });
  if (!stored.ok) return stored;
  await markCited(store, images, receivedAt);
  return { caseId: record.id, receivedAt, dueOn, imageCount: images.length };
}
