import { open } from 'node:fs/promises';
import sharp from 'sharp';
import { MAX_IMAGE_BYTES, MIN_IMAGE_EDGES } from '../../shared/hub-api/intake-api';
import type { ObjectStore } from '../store/object-store';
import { CORRUPT_MESSAGE, LIMIT_INPUT_PIXELS, TRUNCATED_MESSAGE, type InspectResult } from './image-checks';
import { looksTruncated, refusedFormatMessage, sniffFormat } from './image-format';

/** Enough of the head to tell every format image-format.ts knows (text formats look at 1 KiB). */
const HEAD_BYTES = 1024;
/** Enough of the tail for the end markers (JPEG EOI within the last 64 bytes, PNG IEND). */
const TAIL_BYTES = 64;

export const EMPTY_MESSAGE = 'the image is empty (0 bytes): attach the photograph again';

/**
 * The JSON door's checks (intake/image-checks.ts inspectImage: real format from the bytes,
 * size, complete decode, minimum resolution), run on a photograph already in the object store,
 * from a file, so a 15 MB upload is never held in memory: the format is read from the file's
 * first KiB, truncation from its last bytes, and sharp decodes it from disk in strips down to a
 * thumbnail (every compressed byte is still decoded, so a cut-off or damaged file still fails,
 * `failOn: 'warning'` as at the JSON door) instead of into a full-size pixel buffer.
 */
export async function inspectStoredImage(
  objects: ObjectStore,
  stored: { sha256: string; bytes: number },
): Promise<InspectResult> {
  if (stored.bytes === 0) return { ok: false, message: EMPTY_MESSAGE };
  if (stored.bytes > MAX_IMAGE_BYTES)
    return {
      ok: false,
      message: `the image is ${(stored.bytes / 1048576).toFixed(1)} MB; the limit is ${MAX_IMAGE_BYTES / 1048576} MB`,
    };
  return objects.withLocalFile(stored.sha256, async (path) => {
    const { head, tail } = await headAndTail(path, stored.bytes);
    const format = sniffFormat(head);
    if (!format.accepted) return { ok: false, message: refusedFormatMessage(format.kind) };
    const mediaType = format.mediaType;
    try {
      const options = { limitInputPixels: LIMIT_INPUT_PIXELS, failOn: 'warning', sequentialRead: true } as const;
      const meta = await sharp(path, options).metadata();
      await sharp(path, options).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
      const swap = (meta.orientation ?? 1) >= 5;
      const width = (swap ? meta.height : meta.width) ?? 0;
      const height = (swap ? meta.width : meta.height) ?? 0;
      if (Math.min(width, height) < MIN_IMAGE_EDGES.short || Math.max(width, height) < MIN_IMAGE_EDGES.long)
        return {
          ok: false,
          message: `the image is ${width}x${height}; at least ${MIN_IMAGE_EDGES.long}x${MIN_IMAGE_EDGES.short} is needed`,
        };
      return { ok: true, image: { mediaType, sha256: stored.sha256, bytes: stored.bytes, width, height } };
    } catch (error) {
      if (error instanceof Error && /pixel limit/i.test(error.message))
        return { ok: false, message: 'the image has too many pixels' };
      return { ok: false, message: looksTruncatedFile(head, tail, stored.bytes, mediaType) };
    }
  });
}

async function headAndTail(path: string, size: number): Promise<{ head: Buffer; tail: Buffer }> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(TAIL_BYTES, size));
    await handle.read(tail, 0, tail.length, size - tail.length);
    return { head, tail };
  } finally {
    await handle.close();
  }
}

/** looksTruncated (image-format.ts) needs the tail, and for WebP the RIFF length from the head. */
function looksTruncatedFile(
  head: Buffer,
  tail: Buffer,
  size: number,
  mediaType: Parameters<typeof looksTruncated>[1],
): string {
  if (mediaType === 'image/webp') {
    const declared = head.length >= 8 ? head.readUInt32LE(4) : 0;
    return declared + 8 > size ? TRUNCATED_MESSAGE : CORRUPT_MESSAGE;
  }
  return looksTruncated(tail, mediaType) ? TRUNCATED_MESSAGE : CORRUPT_MESSAGE;
}
