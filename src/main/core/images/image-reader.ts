import { FileCipherError } from '../crypto/file-cipher';
import { readEncryptedFile } from '../crypto/encrypted-files';
import { resolveImageFile } from './image-paths';
import { readPackedTile } from './tile-pack';

export type CachedImageRead =
  { ok: true; bytes: Buffer; mediaType: string } | { ok: false; status: 400 | 404 | 500; message: string };

/**
 * Reads one cached image variant for the image servers (Electron's dermdesk-img:// protocol and
 * the test host's /img route) and the letter: the (sha256, variant) pair is checked by
 * resolveImageFile before any path is built, then the file is decrypted and authenticated. A file
 * that fails authentication is never served (it could be truncated or planted).
 */
export async function readCachedImage(
  dataDir: string,
  key: Buffer,
  sha256: string,
  variant: string,
): Promise<CachedImageRead> {
  const resolved = resolveImageFile(dataDir, sha256, variant);
  if (!resolved.ok) return resolved;
  try {
    if (resolved.tile) {
      const { level, x, y } = resolved.tile;
      const bytes = await readPackedTile(key, resolved.path, level, x, y);
      return bytes
        ? { ok: true, bytes, mediaType: resolved.mediaType }
        : { ok: false, status: 404, message: 'No such tile' };
    }
    return { ok: true, bytes: await readEncryptedFile(key, resolved.path), mediaType: resolved.mediaType };
  } catch (error) {
    if (error instanceof FileCipherError) {
      return { ok: false, status: 500, message: 'The cached copy of this image failed its integrity check.' };
    }
    return { ok: false, status: 404, message: 'Image not cached' };
  }
}
