import { z } from 'zod';
import { allowedImageMediaTypes } from '../domain/case';

/**
 * The streamed photograph doors: POST /api/v1/uploads/photos (a signed-in practice) and
 * POST /api/v1/patient-links/<token>/photos (a patient link). The body is ONE photograph's own
 * bytes, with whatever Content-Type the browser gives the file (the bytes decide what it is);
 * the hub streams it to its object store as it arrives, checks the stored file like the JSON
 * door checks inline photographs, and answers this receipt. A referral, an answer to a request
 * for more information or a patient-link submission then cites `uploadId` in place of inline
 * base64 (intake-api.ts intakeImageSchema). Only the uploader (the same practice account, or the
 * same link) may cite it; an upload nobody cites is deleted after a day.
 */
export const photoUploadReceiptSchema = z.object({
  uploadId: z.string().uuid(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  mediaType: z.enum(allowedImageMediaTypes),
  width: z.number().int(),
  height: z.number().int(),
});
export type PhotoUploadReceipt = z.infer<typeof photoUploadReceiptSchema>;

/** How long an upload may wait for the referral or answer that cites it. */
export const UPLOAD_KEPT_HOURS = 24;
/**
 * A referral or answer may cite an upload only this young: an hour short of UPLOAD_KEPT_HOURS, so a
 * case being stored never cites an upload the hourly collector may be taking at that moment.
 */
export const UPLOAD_CITABLE_HOURS = UPLOAD_KEPT_HOURS - 1;
