import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Maps an image URL's (sha256, variant) to a file under the data directory. Both parts are
 * checked against closed patterns before any path is built, so traversal (../, absolute paths,
 * NUL, encoded separators) can never reach the file system. Shared by the Electron protocol and
 * the test host's HTTP route.
 */
export const imageVariants = {
  preview: 'preview.jpg',
  thumb: 'thumb.jpg',
} as const;
/** Derivatives made before issue 16 were WebP: still served (and replaced when re-derived). */
export const legacyImageVariants = {
  preview: 'preview.webp',
  thumb: 'thumb.webp',
} as const;
/** The tile pyramid of one image, one encrypted pack (tile-pack.ts) in its tiles/ folder. */
export const TILE_PACK_NAME = 'tiles.jpg.pack';
const mediaTypes: Record<string, string> = { jpg: 'image/jpeg', webp: 'image/webp' };
export type ImageVariant = keyof typeof imageVariants | 'original';

const SHA256 = /^[0-9a-f]{64}$/;
const TILE = /^tile-(\d{1,2})-(\d{1,4})-(\d{1,4})$/;

/** A tile inside a pack: the path is the pack's, and the tile is read by its coordinates. */
export interface PackedTile {
  level: number;
  x: number;
  y: number;
}

export type ResolvedImage =
  { ok: true; path: string; mediaType: string; tile?: PackedTile } | { ok: false; status: 400 | 404; message: string };

/** The viewer's derivatives of one image (preview, thumbnail, tiles): images/<sha[0:2]>/<sha>/. */
export function imageDir(dataDir: string, sha256: string): string {
  return join(dataDir, 'images', sha256.slice(0, 2), sha256);
}

/**
 * The downloaded originals, all in one directory: images/originals/<sha>. Flat on purpose: a
 * sync then creates one inode per photograph (its file) instead of three (fan-out directory,
 * image directory, file), and makes one directory durable per group instead of one per image;
 * creating an inode is the dearest file-system step of a sync (about half a millisecond of
 * kernel time on ext4). ext4, APFS and NTFS index large directories, and the cache holds at
 * most a few thousand photographs (retention purges them).
 */
export function originalsDir(dataDir: string): string {
  return join(dataDir, 'images', 'originals');
}

export function originalPath(dataDir: string, sha256: string): string {
  return join(originalsDir(dataDir), sha256);
}

export function resolveImageFile(dataDir: string, sha256: string, variant: string): ResolvedImage {
  if (!SHA256.test(sha256)) return { ok: false, status: 400, message: 'Image id must be a SHA-256' };
  if (variant === 'original') {
    const path = originalPath(dataDir, sha256);
    if (!existsSync(path)) return { ok: false, status: 404, message: 'Image not cached' };
    return { ok: true, path, mediaType: 'application/octet-stream' };
  }
  let candidates: string[];
  if (Object.hasOwn(imageVariants, variant)) {
    const name = variant as keyof typeof imageVariants;
    candidates = [imageVariants[name], legacyImageVariants[name]];
  } else {
    const tile = TILE.exec(variant);
    if (!tile) return { ok: false, status: 400, message: 'Unknown image variant' };
    const [level, x, y] = [Number(tile[1]), Number(tile[2]), Number(tile[3])];
    const pack = join(imageDir(dataDir, sha256), 'tiles', TILE_PACK_NAME);
    if (existsSync(pack)) return { ok: true, path: pack, mediaType: 'image/jpeg', tile: { level, x, y } };
    // Pyramids derived before the pack (a file per tile) are still served until re-derived.
    const base = join('tiles', `${level}`, `${x}_${y}`);
    candidates = [`${base}.jpg`, `${base}.webp`];
  }
  for (const fileName of candidates) {
    const path = join(imageDir(dataDir, sha256), fileName);
    const ext = fileName.slice(fileName.lastIndexOf('.') + 1);
    if (existsSync(path)) return { ok: true, path, mediaType: mediaTypes[ext] ?? 'application/octet-stream' };
  }
  return { ok: false, status: 404, message: 'Image not cached' };
}
