import { inflateSync } from 'fflate';

/**
 * libvips hands the Deep Zoom pyramid back as one zip in memory (so no plaintext tile ever lands
 * on disk); this reads that zip's central directory. libvips stores entries uncompressed, so an
 * entry's bytes are a view into the zip (no copy) that goes straight to the cipher (tile-pack.ts).
 */

export interface ZipEntry {
  name: string;
  bytes: Uint8Array;
}

/** Entries of a zip held in memory, read from its central directory (stored or deflated). */
export function* zipEntries(zip: Uint8Array): Generator<ZipEntry> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // End of central directory: 22 bytes plus a comment of up to 64 KiB, searched from the end.
  let eocd = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Error('pyramid zip: no end of central directory');
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const decoder = new TextDecoder();
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== 0x02014b50) throw new Error('pyramid zip: bad directory');
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (local + 30 > zip.length || view.getUint32(local, true) !== 0x04034b50)
      throw new Error('pyramid zip: bad entry');
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + size > zip.length) throw new Error('pyramid zip: entry past the end');
    const raw = zip.subarray(start, start + size);
    if (method === 0) yield { name, bytes: raw };
    else if (method === 8) yield { name, bytes: inflateSync(raw) };
    else throw new Error(`pyramid zip: unsupported compression ${method}`);
  }
}
