import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fsyncDir } from '../../common/fs/fsync-dir';
import { ObjectTooLargeError, type ObjectStore } from './object-store';

const SHA256 = /^[0-9a-f]{64}$/;
/** Photographs are patient data: folders this user only may list (files are created 0600). */
const PRIVATE_DIR = { recursive: true, mode: 0o700 } as const;

/**
 * Files under <root>/<first two hex>/<sha256>. Writes go to a temp file in <root>/tmp, are
 * fsynced, then renamed into place (and the directory fsynced), so a crash never leaves a
 * partial object under a real name.
 */
export class FsObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

  async put(bytes: Buffer): Promise<{ sha256: string; bytes: number }> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    if ((await this.size(sha256)) === bytes.length) return { sha256, bytes: bytes.length };
    await mkdir(join(this.root, sha256.slice(0, 2)), PRIVATE_DIR);
    const tmp = await this.tempPath();
    try {
      const handle = await open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, target);
      await fsyncDir(join(this.root, sha256.slice(0, 2)));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    return { sha256, bytes: bytes.length };
  }

  async putStream(source: Readable, maxBytes: number): Promise<{ sha256: string; bytes: number }> {
    const tmp = await this.tempPath();
    const hash = createHash('sha256');
    let count = 0;
    try {
      const handle = await open(tmp, 'wx', 0o600);
      try {
        // One chunk at a time: the next is read only once this one is written (backpressure).
        for await (const chunk of source) {
          const bytes = chunk as Buffer;
          count += bytes.length;
          if (count > maxBytes) throw new ObjectTooLargeError(maxBytes);
          hash.update(bytes);
          await handle.write(bytes);
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      const sha256 = hash.digest('hex');
      await mkdir(join(this.root, sha256.slice(0, 2)), PRIVATE_DIR);
      await rename(tmp, this.pathOf(sha256));
      await fsyncDir(join(this.root, sha256.slice(0, 2)));
      return { sha256, bytes: count };
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async size(sha256: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(sha256))).size;
    } catch (error) {
      // Only "no such object" is an answer; any other failure (EIO, EACCES) is not "missing".
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  async withLocalFile<T>(sha256: string, use: (path: string) => Promise<T>): Promise<T> {
    return use(this.pathOf(sha256));
  }

  async ping(): Promise<void> {
    await mkdir(join(this.root, 'tmp'), PRIVATE_DIR);
    await access(join(this.root, 'tmp'), constants.W_OK);
  }

  read(sha256: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.pathOf(sha256), range ? { start: range.start, end: range.end } : {});
  }

  private async tempPath(): Promise<string> {
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, PRIVATE_DIR);
    return join(tmpDir, `${randomUUID()}.part`);
  }

  private pathOf(sha256: string): string {
    // The only names ever joined into a path: a validated hex digest.
    if (!SHA256.test(sha256)) throw new Error('object names are lowercase hex SHA-256 digests');
    return join(this.root, sha256.slice(0, 2), sha256);
  }
}
