import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { decryptBuffer, encryptBuffer } from './file-cipher';

/**
 * File-system side of the file cipher: the only way cached images are read or written, so no
 * plaintext photograph ever lands under the data directory.
 */

export async function readEncryptedFile(key: Buffer, path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    return decryptBuffer(key, await fh.readFile());
  } finally {
    await fh.close();
  }
}

/** Writes `plain` encrypted, atomically (temp file in the same folder, then rename). */
export async function writeEncryptedFile(key: Buffer, path: string, plain: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, encryptBuffer(key, plain));
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
