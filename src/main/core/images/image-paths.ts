import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Maps an image URL's (sha256, variant) to a file under the data directory. Both parts are
 * checked against closed patterns before any path is built, so traversal (../, absolute paths,
 * NUL, encoded separators) can never reach the file system. Shared by the Electron protocol and
 * the test host's HTTP route.
 */
export const imageVariants = {
  original: 'original',
  preview: 'preview.webp',
  thumb: 'thumb.webp',
} as const;
export type ImageVariant = keyof typeof imageVariants;

const SHA256 = /^[0-9a-f]{64}$/;
const TILE = /^tile-(\d{1,2})-(\d{1,4})-(\d{1,4})$/;

export type ResolvedImage =
  { ok: true; path: string; mediaType: string } | { ok: false; status: 400 | 404; message: string };

export function imageDir(dataDir: string, sha256: string): string {
  return join(dataDir, 'images', sha256.slice(0, 2), sha256);
}

export function resolveImageFile(dataDir: string, sha256: string, variant: string): ResolvedImage {
  if (!SHA256.test(sha256)) return { ok: false, status: 400, message: 'Image id must be a SHA-256' };
  let fileName: string;
  let mediaType = 'image/webp';
  if (Object.hasOwn(imageVariants, variant)) {
    fileName = imageVariants[variant as ImageVariant];
    if (variant === 'original') mediaType = 'application/octet-stream';
  } else {
    const tile = TILE.exec(variant);
    if (!tile) return { ok: false, status: 400, message: 'Unknown image variant' };
    fileName = join('tiles', `${Number(tile[1])}`, `${Number(tile[2])}_${Number(tile[3])}.webp`);
  }
  const path = join(imageDir(dataDir, sha256), fileName);
  if (!existsSync(path)) return { ok: false, status: 404, message: 'Image not cached' };
  return { ok: true, path, mediaType };
}
