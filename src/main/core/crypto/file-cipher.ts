import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, type CipherGCM } from 'node:crypto';

/**
 * Authenticated encryption of cached files (lesion photographs and their derivatives) with
 * AES-256-GCM, in the chunked "STREAM" construction so that a file can be written as it
 * downloads, resumed after a cut connection, and read from any offset (HTTP Range) without
 * decrypting what comes before:
 *
 *   header (32 bytes): "DDE1" | chunk size (uint32 BE) | 24-byte random salt
 *   chunk i:           AES-256-GCM(fileKey, nonce_i, plaintext_i, aad = header) | 16-byte tag
 *
 * fileKey = HKDF-SHA256(masterKey, salt): every file has its own key, so nonces (chunk index and
 * a "last chunk" flag) never repeat under one key. Each nonce carries its chunk's index, so chunks
 * cannot be reordered or spliced in from another file; only the final chunk carries the last flag,
 * so a truncated file fails to open instead of reading as a shorter image.
 */
export const CHUNK_SIZE = 64 * 1024;
export const HEADER_SIZE = 32;
export const TAG_SIZE = 16;
const MAGIC = Buffer.from('DDE1', 'ascii');
const SALT_SIZE = 24;

export type FileCipherErrorCode = 'not-encrypted' | 'truncated' | 'tampered';

export class FileCipherError extends Error {
  constructor(
    readonly code: FileCipherErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FileCipherError';
  }
}

/** The images' master key, derived from the cache key in the keychain (one secret to keep, one to lose). */
export function imageKeyFromCacheKey(cacheKeyHex: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(cacheKeyHex, 'hex'), Buffer.alloc(0), 'dermdesk images v1', 32));
}

export function newHeader(chunkSize = CHUNK_SIZE): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(header, 0);
  header.writeUInt32BE(chunkSize, 4);
  randomBytes(SALT_SIZE).copy(header, 8);
  return header;
}

export interface ParsedHeader {
  header: Buffer;
  chunkSize: number;
  fileKey: Buffer;
}

export function parseHeader(masterKey: Buffer, bytes: Uint8Array): ParsedHeader {
  if (bytes.length < HEADER_SIZE || !MAGIC.equals(Buffer.from(bytes.subarray(0, 4)))) {
    throw new FileCipherError('not-encrypted', 'This cached file is not in the encrypted format.');
  }
  const header = Buffer.from(bytes.subarray(0, HEADER_SIZE));
  const chunkSize = header.readUInt32BE(4);
  if (chunkSize < 1024 || chunkSize > 16 * 1024 * 1024) {
    throw new FileCipherError('tampered', 'This cached file has an impossible chunk size.');
  }
  const salt = header.subarray(8, HEADER_SIZE);
  const fileKey = Buffer.from(hkdfSync('sha256', masterKey, salt, 'dermdesk file v1', 32));
  return { header, chunkSize, fileKey };
}

function nonce(index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeUInt32BE(index, 7);
  n[11] = last ? 1 : 0;
  return n;
}

export function sealChunk(h: ParsedHeader, index: number, plain: Uint8Array, last: boolean): Buffer[] {
  const cipher = createCipheriv('aes-256-gcm', h.fileKey, nonce(index, last));
  cipher.setAAD(h.header);
  const body = cipher.update(plain);
  const tail = cipher.final();
  return tail.length > 0 ? [body, tail, cipher.getAuthTag()] : [body, cipher.getAuthTag()];
}

export function openChunk(h: ParsedHeader, index: number, sealed: Uint8Array, last: boolean): Buffer {
  if (sealed.length < TAG_SIZE)
    throw new FileCipherError('truncated', 'This cached file ends in the middle of a block.');
  const decipher = createDecipheriv('aes-256-gcm', h.fileKey, nonce(index, last));
  decipher.setAAD(h.header);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
  const body = decipher.update(sealed.subarray(0, sealed.length - TAG_SIZE));
  try {
    return body.length === 0 ? decipher.final() : Buffer.concat([body, decipher.final()]);
  } catch {
    throw new FileCipherError(
      'tampered',
      'This cached file failed its integrity check (altered, truncated, or written with another key).',
    );
  }
}

/** Plaintext length of an encrypted file of `fileSize` bytes, or an error when no valid layout gives that size. */
export function plainLength(fileSize: number, chunkSize: number): number {
  const body = fileSize - HEADER_SIZE;
  const stride = chunkSize + TAG_SIZE;
  if (body < TAG_SIZE) throw new FileCipherError('truncated', 'This cached file is shorter than its first block.');
  const full = Math.floor(body / stride);
  const rest = body - full * stride;
  if (rest === 0) return full * chunkSize;
  if (rest < TAG_SIZE) throw new FileCipherError('truncated', 'This cached file ends in the middle of a block.');
  return full * chunkSize + rest - TAG_SIZE;
}

/** Encrypts a whole buffer (derivatives: previews, tiles, JSON). */
export function encryptBuffer(masterKey: Buffer, plain: Uint8Array, chunkSize = CHUNK_SIZE): Buffer {
  return Buffer.concat(encryptToParts(masterKey, plain, chunkSize));
}

/**
 * The same file as encryptBuffer, as its parts in order (header, then each chunk's ciphertext and
 * tag): written with one writev, a thousand tiles are encrypted without a second copy of each.
 */
export function encryptToParts(masterKey: Buffer, plain: Uint8Array, chunkSize = CHUNK_SIZE): Buffer[] {
  const header = newHeader(chunkSize);
  const h = parseHeader(masterKey, header);
  const parts: Buffer[] = [header];
  const chunks = Math.max(1, Math.ceil(plain.length / chunkSize));
  for (let i = 0; i < chunks; i++) {
    parts.push(...sealChunk(h, i, plain.subarray(i * chunkSize, (i + 1) * chunkSize), i === chunks - 1));
  }
  return parts;
}

/** Decrypts a whole encrypted file's bytes; throws FileCipherError on any alteration or truncation. */
export function decryptBuffer(masterKey: Buffer, data: Uint8Array): Buffer {
  const h = parseHeader(masterKey, data);
  const length = plainLength(data.length, h.chunkSize);
  return decryptRange(h, data, 0, length, length);
}

/**
 * Decrypts plaintext bytes [start, end) of a file of plaintext `length`; `data` holds the file's
 * bytes from file offset `dataOffset` on, covering at least the chunks the range touches. Used
 * for whole files and, by the range reader, for HTTP Range requests.
 */
export function decryptRange(
  h: ParsedHeader,
  data: Uint8Array,
  start: number,
  end: number,
  length: number,
  dataOffset = 0,
): Buffer {
  const stride = h.chunkSize + TAG_SIZE;
  const lastIndex = Math.max(0, Math.ceil(length / h.chunkSize) - 1);
  const out: Buffer[] = [];
  const first = Math.floor(start / h.chunkSize);
  const stop = end === 0 ? 0 : Math.ceil(end / h.chunkSize) - 1;
  for (let i = first; i <= Math.max(first, stop); i++) {
    const offset = HEADER_SIZE + i * stride - dataOffset;
    const size = i === lastIndex ? length - i * h.chunkSize + TAG_SIZE : stride;
    const plain = openChunk(h, i, data.subarray(offset, offset + size), i === lastIndex);
    const from = i === first ? start - i * h.chunkSize : 0;
    const to = Math.min(plain.length, end - i * h.chunkSize);
    out.push(plain.subarray(from, Math.max(from, to)));
  }
  return Buffer.concat(out);
}

/**
 * Encrypts a stream as it arrives. The plaintext length is known up front (a manifest's byte
 * count), so the final chunk's index is known too and every byte is encrypted the moment it
 * arrives: no copy, no buffering, a tag at each chunk boundary. `push` returns the ciphertext to
 * append, `finish` the rest of the final (last-flagged) chunk. Pushing past the length, or
 * finishing short of it, throws (a shorter file must never be sealed as complete). An interrupted
 * file is resumed at a chunk boundary (`resumeAt` cuts a partly written chunk off).
 */
export class ChunkEncryptor {
  private cipher: CipherGCM | null = null;
  private position: number;
  private readonly lastIndex: number;

  constructor(
    private readonly h: ParsedHeader,
    private index: number,
    private readonly plainLength: number,
  ) {
    this.position = index * h.chunkSize;
    this.lastIndex = Math.max(0, Math.ceil(plainLength / h.chunkSize) - 1);
  }

  push(data: Uint8Array): Buffer[] {
    const size = this.h.chunkSize;
    if (this.position + data.byteLength > this.plainLength)
      throw new Error('ChunkEncryptor: more data than the declared length');
    const out: Buffer[] = [];
    for (let at = 0; at < data.byteLength;) {
      const cipher = this.cipher ?? this.startChunk();
      const n = Math.min((this.index + 1) * size - this.position, data.byteLength - at);
      out.push(cipher.update(at === 0 && n === data.byteLength ? data : data.subarray(at, at + n)));
      this.position += n;
      at += n;
      if (this.position === (this.index + 1) * size && this.index !== this.lastIndex) {
        // A chunk boundary that is not the end: seal it now (its tag follows its bytes on disk).
        const tail = cipher.final();
        if (tail.length > 0) out.push(tail);
        out.push(cipher.getAuthTag());
        this.cipher = null;
        this.index++;
      }
    }
    return out;
  }

  finish(): Buffer[] {
    if (this.position !== this.plainLength) throw new Error('ChunkEncryptor: finished before the declared length');
    const cipher = this.cipher ?? this.startChunk();
    this.cipher = null;
    this.index++;
    const tail = cipher.final();
    return tail.length > 0 ? [tail, cipher.getAuthTag()] : [cipher.getAuthTag()];
  }

  private startChunk(): CipherGCM {
    const cipher = createCipheriv('aes-256-gcm', this.h.fileKey, nonce(this.index, this.index === this.lastIndex));
    cipher.setAAD(this.h.header);
    this.cipher = cipher;
    return cipher;
  }
}

/**
 * Where a partial (interrupted) encrypted file can be continued: how many whole, non-final chunks
 * it holds, as a plaintext offset and the ciphertext length to keep. Bytes past that are cut.
 */
export function resumeAt(
  fileSize: number,
  chunkSize: number,
): { plainBytes: number; keepBytes: number; chunks: number } {
  if (fileSize < HEADER_SIZE) return { plainBytes: 0, keepBytes: 0, chunks: 0 };
  const chunks = Math.floor((fileSize - HEADER_SIZE) / (chunkSize + TAG_SIZE));
  return { plainBytes: chunks * chunkSize, keepBytes: HEADER_SIZE + chunks * (chunkSize + TAG_SIZE), chunks };
}
