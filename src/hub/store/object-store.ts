import type { Readable } from 'node:stream';

/**
 * Image bytes, addressed by their SHA-256 and nothing else (no patient data in names). The
 * filesystem implementation is the default; an S3-style object store can implement the same.
 */
export interface ObjectStore {
  /** Stores bytes atomically; returns their address. Storing the same bytes twice is a no-op. */
  put(bytes: Buffer): Promise<{ sha256: string; bytes: number }>;
  /** Size in bytes, or null when absent. */
  size(sha256: string): Promise<number | null>;
  /** A stream of bytes [start, end] inclusive. */
  read(sha256: string, range?: { start: number; end: number }): Readable;
  /** Throws unless the store can be written now (readiness). */
  ping(): Promise<void>;
}
