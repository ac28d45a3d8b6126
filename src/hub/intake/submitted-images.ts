import type { FieldError, IntakeImage } from '../../shared/hub-api/intake-api';
import { fieldMessage } from '../../shared/hub-api/field-messages';
import { UPLOAD_CITABLE_HOURS } from '../../shared/hub-api/upload-api';
import type { DoorsRepository } from '../store/hub-repository';
import { inspectImage, type InspectedImage } from './image-checks';

/** A checked photograph of a referral or answer: inline bytes, or an upload already stored. */
export interface ValidImage extends InspectedImage {
  kind: IntakeImage['kind'];
  takenAt?: string;
  /** The inline bytes (JSON door), still to be stored; absent for an upload (already stored). */
  data?: Buffer;
  /** The upload this photograph came from (marked cited once the case or answer is stored). */
  uploadId?: string;
}

/** Who is citing uploads (they may cite their own only), where uploads are recorded, and when (the hub's clock). */
export interface UploadCiter {
  owner: string;
  store: Pick<DoorsRepository, 'photoUploads'>;
  now: Date;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Said alike for an unknown, expired and someone else's upload: none of them tells which. */
export const UNKNOWN_UPLOAD_MESSAGE =
  'this photograph upload is not known to the hub for you (it may have expired after a day): upload the photograph again';

/**
 * Checks each photograph of a referral or answer and reports every problem at once, by field:
 * inline ones by their bytes (inspectImage: type, size, decodability, resolution), uploaded
 * ones by their record (checked when they were streamed in: receive-photo.ts), which must be
 * the citer's own. `citer` absent: this door takes inline photographs only (FHIR).
 */
export async function checkSubmittedImages(
  images: IntakeImage[],
  citer: UploadCiter | undefined,
  rename: (field: string) => string = (f) => f,
): Promise<{ images: ValidImage[]; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const add = (field: string, message: string): void => {
    errors.push({ field: rename(field), message: fieldMessage(field, 'other', message) });
  };
  const ids = images.flatMap((i) => (i.uploadId ? [i.uploadId] : []));
  const uploads = new Map(
    citer && ids.length > 0 ? (await citer.store.photoUploads(ids)).map((u) => [u.id, u] as const) : [],
  );
  // Older uploads are refused as unknown: the collector takes them at UPLOAD_KEPT_HOURS, and the
  // hour between keeps a case being stored from citing bytes a sweep is removing (stale-uploads.ts).
  const citableFrom = citer ? new Date(citer.now.getTime() - UPLOAD_CITABLE_HOURS * 3_600_000).toISOString() : '';
  const valid: ValidImage[] = [];
  for (const [i, image] of images.entries()) {
    const extra = image.takenAt ? { takenAt: image.takenAt } : {};
    if (image.uploadId !== undefined) {
      const upload = uploads.get(image.uploadId);
      if (!citer) add(`images.${i}.uploadId`, 'this door takes photographs inline only');
      else if (!upload || upload.owner !== citer.owner || upload.createdAt < citableFrom)
        add(`images.${i}.uploadId`, UNKNOWN_UPLOAD_MESSAGE);
      else if (image.mediaType !== undefined && image.mediaType !== upload.mediaType)
        add(`images.${i}.mediaType`, `declared ${image.mediaType} but the uploaded bytes are ${upload.mediaType}`);
      else
        valid.push({
          kind: image.kind,
          sha256: upload.sha256,
          bytes: upload.bytes,
          mediaType: upload.mediaType as InspectedImage['mediaType'],
          width: upload.width,
          height: upload.height,
          uploadId: upload.id,
          ...extra,
        });
      continue;
    }
    const data = image.data ?? '';
    if (!BASE64.test(data)) {
      add(`images.${i}.data`, 'the photograph did not arrive intact (not base64): attach it again');
      continue;
    }
    const bytes = Buffer.from(data, 'base64');
    const result = await inspectImage(bytes, image.mediaType);
    if (!result.ok) {
      add(result.message.startsWith('declared') ? `images.${i}.mediaType` : `images.${i}.data`, result.message);
      continue;
    }
    valid.push({ ...result.image, kind: image.kind, data: bytes, ...extra });
  }
  return { images: valid, errors };
}
