import { closeSync, fsyncSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Making a rename (or a new entry) durable: a file's new name survives power loss only once the
 * directory holding it is fsynced. One helper for the hub and the workstation alike.
 */

/** Codes of file systems that cannot fsync a directory (the rename is as durable as they make it). */
export const FSYNC_DIR_UNSUPPORTED: readonly string[] = ['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EISDIR', 'EPERM'];

function unsupported(error: unknown): boolean {
  return FSYNC_DIR_UNSUPPORTED.includes((error as NodeJS.ErrnoException).code ?? '');
}

/** Fsyncs the directory `dir` through the thread pool. */
export async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot open a directory as a file; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch (error) {
    if (!unsupported(error)) throw error;
  } finally {
    await fh.close();
  }
}

/** The same, blocking: for work that must be durable before the caller records it. */
export function fsyncDirSync(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } catch (error) {
    if (!unsupported(error)) throw error;
  } finally {
    closeSync(fd);
  }
}
