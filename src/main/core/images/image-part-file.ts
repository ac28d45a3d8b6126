import type { Readable } from 'node:stream';
import { HubRequestError } from '../hub-client/hub-client';
import type { ExpectedImage } from './image-store';
import type { PartWriters } from './part-writers';

/**
 * Streams one image body into its part file through the part writers (part-writers.ts: the
 * image write worker in the app): the bytes go over in ~1 MiB batches (a typical photograph in
 * one, together with the request to finish), at most one batch in flight, so the body is read
 * while the previous batch is hashed, encrypted and written elsewhere. ImageStore decides when;
 * this module moves the bytes.
 */

/** ~1 MiB batches: one message per MiB, a typical photograph in one. */
const BATCH_BYTES = 1024 * 1024;

export { COMPLETE } from './part-writer';

export interface PumpSink {
  /** The image's plaintext bytes received so far (resumed ones included). */
  count: (n: number) => void;
  touch: () => void;
  signal: AbortSignal;
  /** The whole body arrived: its network lane is free while the last bytes are written and fsynced. */
  received: () => void;
}

/**
 * Reads `body` to its end and finishes the part file `id` (COMPLETE: verified, fsynced, renamed
 * to `finalPath`), or says why the body was refused. A body longer than the manifest is cut off
 * at the first excess byte; a cut or truncated one is written as far as it came (the next attempt
 * resumes from its whole chunks) and throws.
 */
export async function pump(
  body: Readable,
  writers: PartWriters,
  id: number,
  image: ExpectedImage,
  start: number,
  finalPath: string,
  sink: PumpSink,
): Promise<string> {
  let received = start;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let inFlight: Promise<void> = Promise.resolve();
  // One copy per batch, into memory of its own (socket buffers may share theirs), which the
  // writers then take over: to the worker it moves without a second copy.
  const take = (): Buffer => {
    const data = Buffer.allocUnsafeSlow(batchBytes);
    let at = 0;
    for (const b of batch) {
      data.set(b, at);
      at += b.length;
    }
    batch = [];
    batchBytes = 0;
    return data;
  };
  try {
    for await (const value of body as AsyncIterable<Buffer>) {
      sink.touch();
      if (received + value.length > image.bytes) {
        // Cut off at the first byte past the manifest: an oversize body is refused without reading the rest.
        body.destroy();
        await inFlight;
        return `the hub sent more than the ${image.bytes} bytes the manifest promised`;
      }
      batch.push(value);
      batchBytes += value.length;
      received += value.length;
      sink.count(received);
      if (batchBytes >= BATCH_BYTES) {
        await inFlight;
        inFlight = writers.append(id, take());
      }
    }
  } catch (error) {
    // Keep what arrived: the next attempt resumes from its whole chunks (re-hashing them).
    await inFlight.catch(() => undefined);
    await writers.close(id, take()).catch(() => undefined);
    if (sink.signal.aborted) throw new HubRequestError('timeout', 'The hub stopped sending image bytes.');
    throw error;
  }
  await inFlight;
  if (received < image.bytes) {
    // Truncated: the partial file is kept and resumed (its bytes are re-hashed next attempt).
    await writers.close(id, take());
    throw new HubRequestError('network', `The image download stopped at ${received} of ${image.bytes} bytes.`);
  }
  sink.received();
  return writers.finish(id, take(), image.sha256, finalPath);
}
