import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PhotoUploadReceipt } from '../../shared/hub-api/upload-api';
import { STREAMED_PHOTO_LIMIT } from '../http/route-policies';
import { sendError } from '../practice/practice-auth';
import { ObjectTooLargeError } from '../store/object-store';
import type { DoorsDeps } from './doors-deps';
import { EMPTY_MESSAGE, inspectStoredImage } from './stored-image-check';

/**
 * A scope whose routes read their body themselves, as a stream: the parser accepts any type the
 * browser labels a file with (the bytes decide what it is) and reads nothing, so the handler
 * can pipe the request straight into the object store.
 */
export function streamAnyBody(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
}

/** The owner of an upload still being checked: no caller's, so nobody can cite it. */
const RECEIVING_OWNER = 'receiving';

class UploadBrokenOff extends Error {}

/**
 * The request body as a stream the store may stop reading (at the limit) without destroying the
 * request itself, so the 413 can still be answered on its connection (then closed: route-access.ts).
 * A sender that breaks off fails the stream, so the store discards what it had.
 */
function bodyOf(raw: IncomingMessage): PassThrough {
  const body = new PassThrough();
  const brokenOff = () => {
    if (!raw.complete) body.destroy(new UploadBrokenOff('the sender broke off the upload'));
  };
  raw.once('aborted', brokenOff);
  raw.once('error', brokenOff);
  raw.once('close', brokenOff);
  raw.pipe(body);
  return body;
}

/** The upload checks' wording (the same as POST /intake/image-check's). */
const unusable = (reply: FastifyReply, why: string) =>
  sendError(reply, 422, 'validation', `This file cannot be used: ${why}.`, 'image');

const tooLarge = (reply: FastifyReply) =>
  sendError(
    reply,
    413,
    'photo-too-large',
    `The photograph is larger than the ${STREAMED_PHOTO_LIMIT / 1048576} MB the clinic accepts: send a smaller photograph (a phone's normal camera setting is well under this).`,
    'image',
  );

/**
 * One streamed photograph door (the access check already ran in onRequest, before any byte of
 * the body was read): the body goes to the object store as it arrives (objects.putStream: never
 * whole in memory, refused at the limit with nothing kept), then the JSON door's checks run on
 * the stored file (stored-image-check.ts). A refused photograph's bytes (or any whose handling
 * fails) are removed with its row unless something else already cites them; an accepted one
 * becomes an upload `owner` alone may cite, and its reference is answered.
 */
export async function receivePhoto(
  deps: DoorsDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  owner: string,
): Promise<FastifyReply> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (declared > STREAMED_PHOTO_LIMIT) return tooLarge(reply);
  if (declared === 0) return unusable(reply, EMPTY_MESSAGE);
  let stored: { sha256: string; bytes: number };
  try {
    stored = await deps.objects.putStream(bodyOf(request.raw), STREAMED_PHOTO_LIMIT);
  } catch (error) {
    if (error instanceof ObjectTooLargeError) return tooLarge(reply);
    // The sender broke off: nothing was kept under any address, and nobody is there to answer.
    if (error instanceof UploadBrokenOff || request.raw.socket?.destroyed) return reply;
    throw error;
  }
  if (stored.bytes === 0) return unusable(reply, EMPTY_MESSAGE);
  // The upload is recorded before the checks, so an hourly sweep running meanwhile sees a young
  // row citing these bytes (the same bytes may also be a stale upload's, which it is taking:
  // stale-uploads.ts). Nobody can cite the row yet: its owner is no caller's, and its id is
  // answered only once the checks have passed and the row is settled.
  const uploadId = randomUUID();
  const discard = async (): Promise<void> => {
    await deps.repo.removePhotoUpload(uploadId);
    if (!(await deps.repo.photoObjectCited(stored.sha256))) await deps.objects.remove(stored.sha256);
  };
  let receipt: PhotoUploadReceipt;
  try {
    await deps.repo.addPhotoUpload({
      id: uploadId,
      owner: RECEIVING_OWNER,
      sha256: stored.sha256,
      bytes: stored.bytes,
      mediaType: '',
      width: 0,
      height: 0,
      createdAt: deps.now().toISOString(),
      usedAt: null,
    });
    const checked = await inspectStoredImage(deps.objects, stored);
    if (!checked.ok) {
      await discard();
      return unusable(reply, checked.message);
    }
    const image = checked.image;
    await deps.repo.settlePhotoUpload(uploadId, {
      owner,
      mediaType: image.mediaType,
      width: image.width,
      height: image.height,
    });
    receipt = {
      uploadId,
      sha256: image.sha256,
      bytes: image.bytes,
      mediaType: image.mediaType,
      width: image.width,
      height: image.height,
    };
  } catch (error) {
    // Whatever failed (the store, the S3 local copy), no bytes are left behind that nothing cites.
    await discard().catch(() => undefined);
    throw error;
  }
  return reply.code(201).send(receipt);
}

/** Who may cite an upload: the practice account, or the patient link, that sent it. */
export const practiceOwner = (userId: string): string => `user:${userId}`;
export const linkOwner = (linkId: string): string => `link:${linkId}`;
