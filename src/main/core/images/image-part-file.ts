import type { Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  type ChunkEncryptor,
  HEADER_SIZE,
  openChunk,
  parseHeader,
  resumeAt,
  TAG_SIZE,
  type ParsedHeader,
} from '../crypto/file-cipher';
import { HubRequestError } from '../sync/hub-client';
import type { ExpectedImage } from './image-store';

/**
 * The part file of one image download: written encrypted as the body streams in (hashing the
 * plaintext), and reopened for resuming after a cut connection. ImageStore decides when; this
 * module does the bytes.
 */

/** ~1 MiB writes: one thread-pool hop per MiB, a typical photograph in one. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/** attempt() outcome: verified, written and fsynced through the handle that wrote it. */
export const COMPLETE = 'complete';

export interface PumpSink {
  /** The image's plaintext bytes received so far (resumed ones included). */
  count: (n: number) => void;
  touch: () => void;
  signal: AbortSignal;
}

/**
 * Streams a body into the part file: every chunk is hashed and encrypted as it arrives, and the
 * ciphertext goes to the file in ~1 MiB `writev` batches (a typical photograph in one), the
 * header with the first. A body longer than the manifest is cut off at the first excess byte.
 */
export async function pump(
  body: Readable,
  file: FileHandle,
  fileOffset: number,
  header: Buffer | null,
  encryptor: ChunkEncryptor,
  hash: Hash,
  image: ExpectedImage,
  start: number,
  sink: PumpSink,
): Promise<string> {
  let written = start;
  let position = fileOffset;
  let pending: Uint8Array[] = header ? [header] : [];
  let pendingBytes = header?.length ?? 0;
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const batch = pending;
    const at = position;
    position += pendingBytes;
    pending = [];
    pendingBytes = 0;
    // writev: one system call for the batch, no copy into a joined buffer.
    await file.writev(batch, at);
  };
  const queue = (sealed: Buffer[]): void => {
    for (const b of sealed) {
      pending.push(b);
      pendingBytes += b.length;
    }
  };
  try {
    for await (const value of body as AsyncIterable<Buffer>) {
      sink.touch();
      if (written + value.length > image.bytes) {
        // Cut off at the first byte past the manifest: an oversize body is refused without reading the rest.
        body.destroy();
        return `the hub sent more than the ${image.bytes} bytes the manifest promised`;
      }
      hash.update(value);
      queue(encryptor.push(value));
      written += value.length;
      sink.count(written);
      if (pendingBytes >= WRITE_BATCH_BYTES) await flush();
    }
  } catch (error) {
    // Keep what arrived: the next attempt resumes from its whole chunks (re-hashing them).
    await flush().catch(() => undefined);
    if (sink.signal.aborted) throw new HubRequestError('timeout', 'The hub stopped sending image bytes.');
    throw error;
  }
  if (written < image.bytes) {
    // Truncated: the partial file is kept and resumed (its bytes are re-hashed next attempt).
    await flush();
    throw new HubRequestError('network', `The image download stopped at ${written} of ${image.bytes} bytes.`);
  }
  // A verified body is fsynced through the handle it was written with (no reopen); a refused one never is.
  const digest = hash.digest('hex');
  if (digest !== image.sha256) return `the bytes do not match the manifest's SHA-256 (got ${digest.slice(0, 12)}…)`;
  queue(encryptor.finish());
  await flush();
  await file.sync();
  return COMPLETE;
}

/**
 * Opens an interrupted encrypted part file for resuming: its whole non-final chunks are decrypted
 * (which authenticates them) and hashed. Null when there is nothing usable to resume.
 */
export async function resumePart(
  key: Buffer,
  part: string,
  hash: Hash,
): Promise<{ header: ParsedHeader; plainBytes: number; keepBytes: number; chunks: number } | null> {
  let fh: FileHandle;
  try {
    fh = await open(part, 'r');
  } catch {
    return null;
  }
  try {
    const size = (await fh.stat()).size;
    if (size < HEADER_SIZE) return null;
    const headerBytes = Buffer.alloc(HEADER_SIZE);
    await fh.read(headerBytes, 0, HEADER_SIZE, 0);
    const header = parseHeader(key, headerBytes);
    const at = resumeAt(size, header.chunkSize);
    const stride = header.chunkSize + TAG_SIZE;
    const sealed = Buffer.alloc(stride);
    for (let i = 0; i < at.chunks; i++) {
      await fh.read(sealed, 0, stride, HEADER_SIZE + i * stride);
      hash.update(openChunk(header, i, sealed, false));
    }
    return { header, ...at };
  } finally {
    await fh.close();
  }
}
