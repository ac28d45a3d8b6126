import type { Readable } from 'node:stream';

/**
 * Image bytes, addressed by their SHA-256 and nothing else (no patient data in names). The
 * filesystem implementation (fs-object-store.ts) is the default; s3-object-store.ts keeps them in
 * an S3-compatible bucket for a region's several hub processes. Both pass one contract suite
 * (tests/store/object-store-contract.test.ts).
 */
export interface ObjectStore {
  /** Stores bytes atomically; returns their address. Storing the same bytes twice is a no-op. */
  put(bytes: Buffer): Promise<{ sha256: string; bytes: number }>;
  /**
   * Stores a stream as it arrives, never holding it whole in memory, and refuses it with
   * ObjectTooLargeError as soon as it passes `maxBytes` (nothing is kept then).
   */
  putStream(source: Readable, maxBytes: number): Promise<{ sha256: string; bytes: number }>;
  /** Size in bytes, or null when absent. */
  size(sha256: string): Promise<number | null>;
  /** A stream of bytes [start, end] inclusive. */
  read(sha256: string, range?: { start: number; end: number }): Readable;
  /** Removes an object (absent: a no-op). Only for bytes nothing cites (intake/stale-uploads.ts). */
  remove(sha256: string): Promise<void>;
  /**
   * Runs `use` with a local file holding the object: the file itself (filesystem store) or a
   * private temporary copy removed afterwards (S3). Lets the image checks decode from disk in
   * strips instead of holding the photograph in memory.
   */
  withLocalFile<T>(sha256: string, use: (path: string) => Promise<T>): Promise<T>;
  /** Throws unless the store can be written now (readiness). */
  ping(): Promise<void>;
  /** Releases connections (the S3 client's sockets); the filesystem store has none. */
  close?(): void;
}

/** A streamed object grew past what its door allows. */
export class ObjectTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the upload is larger than the ${Math.round(maxBytes / (1024 * 1024))} MiB allowed`);
    this.name = 'ObjectTooLargeError';
  }
}
