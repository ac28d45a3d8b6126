import { randomUUID } from 'node:crypto';
import type { CaseRecord, ImageManifestEntry } from '../../shared/domain/case';
import { dueDate } from '../../shared/domain/working-days';
import type { IntakeReceipt, IntakeSubmission } from '../../shared/hub-api/intake-api';
import type { PracticeAccount, DoorSource, DoorsStore } from './doors-store';
import type { DoorsDeps } from './doors-deps';
import type { ValidImage } from './validate-submission';

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
 * Turns a validated submission into a hub case: image bytes into the object store first (content
 * addressed, so a retry stores nothing twice), then the case row. The hub stamps receipt time
 * and the practice; the SLA clock starts at receipt.
 */
export async function createCaseFromSubmission(
  deps: DoorsDeps,
  store: DoorsStore,
  args: {
    submission: IntakeSubmission;
    images: ValidImage[];
    practice: PracticeAccount;
    source: DoorSource;
    actor: string;
  },
): Promise<IntakeReceipt> {
  const { submission, images, practice } = args;
  for (const image of images) await deps.putImage(image.sha256, image.data);
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
  await deps.repo.insertCase(record, dueOn, receivedAt);
  store.recordDoorCase(record.id, practice.odsCode, args.source, args.actor, receivedAt);
  store.audit(args.actor, 'referral.received', record.id, { source: args.source, images: images.length }, receivedAt);
  return { caseId: record.id, receivedAt, dueOn, imageCount: images.length };
}
