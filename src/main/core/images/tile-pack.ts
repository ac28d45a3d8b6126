import { closeSync, openSync, writevSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { decryptBuffer, encryptToParts, FileCipherError } from '../crypto/file-cipher';
import { zipEntries } from './pyramid-zip';

/**
 * A Deep Zoom pyramid kept as ONE encrypted pack file instead of a file per tile.
 *
 * Why: a 48 MP photograph has about a thousand 256 px tiles, and creating a thousand inodes cost
 * 324-407 ms of kernel time per derivation (measured, issue 16): a quarter of the whole
 * derivation's CPU. In a pack the tiles are written with a few writev calls, and the viewer reads
 * a tile with one positioned read of a file it already knows the layout of.
 *
 * Layout:
 *
 *   record 0 | record 1 | ... | index record | trailer (12 bytes)
 *
 * - Each record is one tile encrypted exactly as a cached file is (file-cipher.ts: its own salt,
 *   key and tags), so a tile is authenticated on its own and a damaged one is never shown.
 * - The index record is encrypted the same way (so it is authenticated too: a planted index
 *   cannot point one tile's position at another's bytes). It holds, per tile, 13 bytes:
 *   level (u8), x (u16), y (u16), record offset (u32), record length (u32), all big-endian.
 * - Trailer: "DDP1", the index record's offset (u32) and length (u32).
 *
 * Offsets are 32-bit: a pack is refused past 4 GiB (a 48 MP pyramid is about 30 MB).
 */
const MAGIC = Buffer.from('DDP1', 'ascii');
const TRAILER_SIZE = 12;
const ENTRY_SIZE = 13;
const MAX_PACK = 0xffffffff;
/** Parts gathered before one writev: under the usual IOV_MAX (1024), so each call writes them all. */
const PARTS_PER_WRITE = 1000;

const JPEG_TILE = /^[^/]+_files\/(\d{1,2})\/(\d{1,4})_(\d{1,4})\.(jpeg|jpg)$/;

interface PackEntry {
  level: number;
  x: number;
  y: number;
  offset: number;
  length: number;
}

/**
 * Writes every JPEG tile of libvips' Deep Zoom zip into one encrypted pack at `path` (created,
 * never overwritten); returns how many tiles it holds. Blocking calls on purpose: this runs in
 * the derivation worker, where a system call per step is cheaper than a thread-pool round trip.
 */
export function writeTilePack(key: Buffer, zip: Uint8Array, path: string): number {
  const entries: PackEntry[] = [];
  const fd = openSync(path, 'wx', 0o600);
  try {
    let offset = 0;
    let pending: Buffer[] = [];
    for (const entry of zipEntries(zip)) {
      const m = JPEG_TILE.exec(entry.name);
      if (!m) continue;
      const parts = encryptToParts(key, entry.bytes);
      const length = parts.reduce((n, p) => n + p.length, 0);
      entries.push({ level: Number(m[1]), x: Number(m[2]), y: Number(m[3]), offset, length });
      offset += length;
      pending.push(...parts);
      if (pending.length >= PARTS_PER_WRITE) {
        writeAll(fd, pending);
        pending = [];
      }
    }
    const index = Buffer.alloc(entries.length * ENTRY_SIZE);
    entries.forEach((e, i) => {
      const at = i * ENTRY_SIZE;
      index.writeUInt8(e.level, at);
      index.writeUInt16BE(e.x, at + 1);
      index.writeUInt16BE(e.y, at + 3);
      index.writeUInt32BE(e.offset, at + 5);
      index.writeUInt32BE(e.length, at + 9);
    });
    const indexParts = encryptToParts(key, index);
    const indexLength = indexParts.reduce((n, p) => n + p.length, 0);
    if (offset + indexLength + TRAILER_SIZE > MAX_PACK) throw new Error('tile pack: larger than 4 GiB');
    const trailer = Buffer.alloc(TRAILER_SIZE);
    MAGIC.copy(trailer, 0);
    trailer.writeUInt32BE(offset, 4);
    trailer.writeUInt32BE(indexLength, 8);
    writeAll(fd, [...pending, ...indexParts, trailer]);
  } finally {
    closeSync(fd);
  }
  return entries.length;
}

/** Writes all of `parts`, continuing after a short write (rare on local files). */
export function writeAll(fd: number, parts: Buffer[]): void {
  let pending = parts;
  while (pending.length > 0) {
    let n = writevSync(fd, pending);
    const rest: Buffer[] = [];
    for (const part of pending) {
      if (n >= part.length) n -= part.length;
      else {
        rest.push(n > 0 ? part.subarray(n) : part);
        n = 0;
      }
    }
    pending = rest;
  }
}

type PackIndex = Map<number, { offset: number; length: number }>;
const tileKey = (level: number, x: number, y: number): number => (level * 10000 + x) * 10000 + y;

/**
 * Indexes of recently read packs, so a tile costs one positioned read. Keyed by path and checked
 * against the file's identity (inode, size, mtime): a re-derived image has a new pack file.
 */
const indexes = new Map<string, { identity: string; index: PackIndex }>();
const INDEXES_KEPT = 64;

/**
 * One tile's plaintext JPEG from a pack, or null when the pack has no such tile. Throws
 * FileCipherError when the pack or the tile fails its integrity check (truncated, altered, or
 * encrypted under another key): the caller answers 500 and never shows it.
 */
export async function readPackedTile(
  key: Buffer,
  path: string,
  level: number,
  x: number,
  y: number,
): Promise<Buffer | null> {
  const fh = await open(path, 'r');
  try {
    const index = await packIndex(key, path, fh);
    const at = index.get(tileKey(level, x, y));
    if (!at) return null;
    return decryptBuffer(key, await readExactly(fh, at.offset, at.length));
  } finally {
    await fh.close();
  }
}

async function packIndex(key: Buffer, path: string, fh: FileHandle): Promise<PackIndex> {
  const stat = await fh.stat();
  const identity = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  const cached = indexes.get(path);
  if (cached?.identity === identity) {
    indexes.delete(path); // re-inserted below: Map order is the LRU order
    indexes.set(path, cached);
    return cached.index;
  }
  if (stat.size < TRAILER_SIZE) throw new FileCipherError('truncated', 'This cached tile pack is truncated.');
  const trailer = await readExactly(fh, stat.size - TRAILER_SIZE, TRAILER_SIZE);
  if (!MAGIC.equals(trailer.subarray(0, 4))) {
    throw new FileCipherError('truncated', 'This cached tile pack is truncated or is not a tile pack.');
  }
  const indexOffset = trailer.readUInt32BE(4);
  const indexLength = trailer.readUInt32BE(8);
  if (indexOffset + indexLength !== stat.size - TRAILER_SIZE) {
    throw new FileCipherError('truncated', 'This cached tile pack does not end where its index says.');
  }
  const plain = decryptBuffer(key, await readExactly(fh, indexOffset, indexLength));
  if (plain.length % ENTRY_SIZE !== 0) throw new FileCipherError('tampered', 'This cached tile pack has a bad index.');
  const index: PackIndex = new Map();
  for (let at = 0; at < plain.length; at += ENTRY_SIZE) {
    const offset = plain.readUInt32BE(at + 5);
    const length = plain.readUInt32BE(at + 9);
    if (offset + length > indexOffset) throw new FileCipherError('tampered', 'This cached tile pack has a bad index.');
    index.set(tileKey(plain.readUInt8(at), plain.readUInt16BE(at + 1), plain.readUInt16BE(at + 3)), {
      offset,
      length,
    });
  }
  indexes.set(path, { identity, index });
  if (indexes.size > INDEXES_KEPT) indexes.delete(indexes.keys().next().value as string);
  return index;
}

async function readExactly(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new FileCipherError('truncated', 'This cached tile pack is truncated.');
    done += bytesRead;
  }
  return buffer;
}
