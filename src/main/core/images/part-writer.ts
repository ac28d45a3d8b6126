import { createHash, type Hash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  fsync,
  ftruncateSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writevSync,
} from 'node:fs';
import { promisify } from 'node:util';
import {
  ChunkEncryptor,
  HEADER_SIZE,
  newHeader,
  openChunk,
  parseHeader,
  resumeAt,
  TAG_SIZE,
} from '../crypto/file-cipher';

/** finish() outcome: verified, written, fsynced and renamed into place. */
export const COMPLETE = 'complete';

/**
 * The part file of one image download, with plain blocking system calls: the plaintext is hashed
 * and encrypted (crypto/file-cipher.ts) and appended as it arrives; `finish` checks the SHA-256,
 * seals the last chunk, fsyncs and renames. Blocking on purpose (all but the fsync, which waits
 * for the disk and goes through the thread pool): it runs in the image write worker
 * (image-write-worker.ts), where one system call is cheaper than a thread-pool round trip per
 * step, and the core's event loop never waits on the disk. Where there is no worker (tests of
 * the store itself) the same code runs on the calling thread.
 */
export class PartWriter {
  private fd: number | null;
  private position: number;
  private pendingHeader: Buffer | null;

  private constructor(
    private readonly key: Buffer,
    private readonly path: string,
    private readonly plainLength: number,
    fd: number,
    private hash: Hash,
    private encryptor: ChunkEncryptor,
    position: number,
    header: Buffer | null,
  ) {
    this.fd = fd;
    this.position = position;
    this.pendingHeader = header;
  }

  /** A new part file (replacing any at `path`); the header goes out with the first write. */
  static create(key: Buffer, path: string, plainLength: number): PartWriter {
    const header = newHeader();
    const encryptor = new ChunkEncryptor(parseHeader(key, header), 0, plainLength);
    return new PartWriter(key, path, plainLength, openSync(path, 'w'), createHash('sha256'), encryptor, 0, header);
  }

  /**
   * Continues an interrupted part file: its whole non-final chunks are decrypted (which
   * authenticates them) and hashed, a partly written chunk is cut off. Null (and the file
   * removed) when nothing in it is usable or it holds more than the manifest promised.
   */
  static resume(key: Buffer, path: string, plainLength: number): { writer: PartWriter; plainBytes: number } | null {
    let fd: number;
    try {
      fd = openSync(path, 'r+');
    } catch {
      return null;
    }
    try {
      const size = fstatSync(fd).size;
      if (size < HEADER_SIZE) throw new Error('no header');
      const headerBytes = Buffer.alloc(HEADER_SIZE);
      readSync(fd, headerBytes, 0, HEADER_SIZE, 0);
      const header = parseHeader(key, headerBytes);
      const at = resumeAt(size, header.chunkSize);
      if (at.plainBytes > plainLength) throw new Error('longer than the manifest');
      const hash = createHash('sha256');
      const stride = header.chunkSize + TAG_SIZE;
      const sealed = Buffer.alloc(stride);
      for (let i = 0; i < at.chunks; i++) {
        readSync(fd, sealed, 0, stride, HEADER_SIZE + i * stride);
        hash.update(openChunk(header, i, sealed, false));
      }
      ftruncateSync(fd, at.keepBytes);
      const encryptor = new ChunkEncryptor(header, at.chunks, plainLength);
      const writer = new PartWriter(key, path, plainLength, fd, hash, encryptor, at.keepBytes, null);
      return { writer, plainBytes: at.plainBytes };
    } catch {
      closeSync(fd);
      rmSync(path, { force: true });
      return null;
    }
  }

  /** The hub sent the whole file after all (its 200 to a Range request): start again from byte 0. */
  restart(): void {
    ftruncateSync(this.open(), 0);
    const header = newHeader();
    this.encryptor = new ChunkEncryptor(parseHeader(this.key, header), 0, this.plainLength);
    this.hash = createHash('sha256');
    this.position = 0;
    this.pendingHeader = header;
  }

  /** Hashes, encrypts and writes the next plaintext bytes, in one writev. */
  append(data: Uint8Array): void {
    if (data.byteLength === 0) return;
    this.hash.update(data);
    this.write(this.encryptor.push(data));
  }

  /**
   * The body ended with `data`: checks the SHA-256 of everything appended, and only when it
   * matches seals the last chunk, fsyncs, closes and renames the file to `finalPath`. Otherwise
   * returns why (the caller deletes the part), never fsyncing a refused body.
   */
  async finish(data: Uint8Array, sha256: string, finalPath: string): Promise<string> {
    try {
      this.hash.update(data);
      const sealed = this.encryptor.push(data);
      const digest = this.hash.digest('hex');
      if (digest !== sha256) return `the bytes do not match the manifest's SHA-256 (got ${digest.slice(0, 12)}…)`;
      this.write([...sealed, ...this.encryptor.finish()]);
      // The one slow step goes through the thread pool: other images' writes go on meanwhile.
      await fsyncAsync(this.open());
    } finally {
      // Closed however it ends (refused, or a failed write or fsync): the file is closed before any rename.
      this.close();
    }
    renameSync(this.path, finalPath);
    return COMPLETE;
  }

  /** Writes what arrived (an interrupted body: the next attempt resumes from its whole chunks) and closes. */
  close(data?: Uint8Array): void {
    if (this.fd === null) return;
    try {
      if (data && data.byteLength > 0) this.append(data);
    } finally {
      closeSync(this.fd);
      this.fd = null;
    }
  }

  private write(sealed: Buffer[]): void {
    const buffers = this.pendingHeader ? [this.pendingHeader, ...sealed] : sealed;
    this.pendingHeader = null;
    let bytes = 0;
    for (const b of buffers) bytes += b.length;
    let done = 0;
    // writev may write less than asked (a signal, a full disk): continue from where it stopped.
    while (done < bytes) {
      const n = writevSync(this.open(), remaining(buffers, done), this.position + done);
      if (n <= 0) throw new Error('the disk accepted no bytes');
      done += n;
    }
    this.position += bytes;
  }

  private open(): number {
    if (this.fd === null) throw new Error('the part file is closed');
    return this.fd;
  }
}

const fsyncAsync = promisify(fsync);

/** The buffers after the first `skip` bytes. */
function remaining(buffers: Buffer[], skip: number): Buffer[] {
  if (skip === 0) return buffers;
  const out: Buffer[] = [];
  for (const b of buffers) {
    if (skip >= b.length) skip -= b.length;
    else {
      out.push(skip > 0 ? b.subarray(skip) : b);
      skip = 0;
    }
  }
  return out;
}
