import { UPLOAD_KEPT_HOURS } from '../../shared/hub-api/upload-api';
import type { DoorsRepository } from '../store/hub-repository';
import type { ObjectStore } from '../store/object-store';

/** How often the hub looks for stale uploads (startHub). */
export const STALE_UPLOAD_SWEEP_MS = 60 * 60_000;

/**
 * Deletes photographs streamed in but never cited by a referral or answer within a day (an
 * abandoned form, a patient who never pressed send): their rows, then the bytes nothing else
 * cites (no other upload, no case image; checked again just before each removal, as the same
 * bytes may have been uploaded again meanwhile: receive-photo.ts records an upload before its
 * checks, so bytes still being received are cited too). Referrals may cite only uploads younger
 * than UPLOAD_CITABLE_HOURS (submitted-images.ts), an hour short of this cut-off, so no case
 * being stored cites what is taken here. Returns how many objects were removed.
 */
export async function collectStaleUploads(
  repo: Pick<DoorsRepository, 'collectStaleUploads' | 'photoObjectCited'>,
  objects: Pick<ObjectStore, 'remove'>,
  now: Date,
): Promise<number> {
  const before = new Date(now.getTime() - UPLOAD_KEPT_HOURS * 3_600_000).toISOString();
  let removed = 0;
  for (const sha256 of await repo.collectStaleUploads(before)) {
    if (await repo.photoObjectCited(sha256)) continue;
    await objects.remove(sha256);
    removed += 1;
  }
  return removed;
}
