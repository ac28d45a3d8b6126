import type { allowedImageMediaTypes } from '../../shared/domain/case';

export type AcceptedMediaType = (typeof allowedImageMediaTypes)[number];

/**
 * What the clinic accepts, and why: JPEG, PNG and WebP are what every phone, camera and browser
 * can produce, what the consultant's workstation shows without conversion, and what is stored
 * byte for byte as the original (the record's SHA-256 is of the bytes the GP or patient sent).
 * HEIC/HEIF (iPhone), GIF, TIFF, BMP and AVIF are recognised and refused by name with the way to
 * send a JPEG instead: converting them at the hub would make the record's "original" something
 * the sender never had, and HEIC cannot be decoded by this hub at all (no HEVC decoder).
 */
export const ACCEPTED_PHOTO_TYPES = 'JPEG, PNG or WebP';

/** A file's real kind, from its first bytes (the declared type and the file name are never trusted). */
export type SniffedFormat =
  { accepted: true; mediaType: AcceptedMediaType } | { accepted: false; kind: RefusedKind; mediaType: string | null };

type RefusedKind = 'heic' | 'avif' | 'gif' | 'tiff' | 'bmp' | 'svg' | 'html' | 'pdf' | 'unknown';

const ascii = (bytes: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));

export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return { accepted: true, mediaType: 'image/jpeg' };
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return { accepted: true, mediaType: 'image/png' };
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP')
    return { accepted: true, mediaType: 'image/webp' };
  const refused = (kind: RefusedKind, mediaType: string | null): SniffedFormat => ({
    accepted: false,
    kind,
    mediaType,
  });
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    if (brand === 'avif' || brand === 'avis') return refused('avif', 'image/avif');
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis'].includes(brand)) return refused('heic', 'image/heic');
    if (['mif1', 'msf1'].includes(brand)) return refused('heic', 'image/heif');
  }
  const head = ascii(bytes, 0, 6);
  if (head === 'GIF87a' || head === 'GIF89a') return refused('gif', 'image/gif');
  if (head.startsWith('II*\0') || head.startsWith('MM\0*')) return refused('tiff', 'image/tiff');
  if (head.startsWith('BM') && bytes.length >= 26) return refused('bmp', 'image/bmp');
  if (head.startsWith('%PDF')) return refused('pdf', 'application/pdf');
  // Text formats may start with a byte-order mark, white space or comments.
  const text = ascii(bytes, 0, 1024)
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg')) || /^<!doctype svg/.test(text))
    return refused('svg', 'image/svg+xml');
  // Any other markup (a web page, XML, a saved "image" that is really the page around it).
  if (text.startsWith('<')) return refused('html', 'text/html');
  return refused('unknown', null);
}

/** Why a refused format is refused, in words a GP or a patient can act on. */
export function refusedFormatMessage(kind: RefusedKind): string {
  const instead = `the clinic accepts photographs as ${ACCEPTED_PHOTO_TYPES}`;
  switch (kind) {
    case 'heic':
      return `this is an iPhone HEIC/HEIF photo (image/heic), which the clinic cannot open: ${instead}. On the iPhone, share it as JPEG ("Most Compatible" in Settings › Camera › Formats)`;
    case 'avif':
      return `this is an AVIF image (image/avif): ${instead}`;
    case 'gif':
      return `this is a GIF image (image/gif): ${instead}`;
    case 'tiff':
      return `this is a TIFF image (image/tiff): ${instead}`;
    case 'bmp':
      return `this is a BMP image (image/bmp): ${instead}`;
    case 'svg':
      return `this is an SVG drawing (image/svg+xml), not a photograph: ${instead}`;
    case 'html':
      return `this is a web page (text/html), not a photograph: ${instead}`;
    case 'pdf':
      return `this is a PDF document (application/pdf), not a photograph: ${instead}`;
    case 'unknown':
      return `this file is not a photograph the clinic can read: ${instead}`;
  }
}

/**
 * Whether an accepted file that failed to decode was cut off (its end marker is missing: an
 * interrupted upload or copy) rather than damaged throughout. Full length but undecodable is
 * "corrupt"; the two need different answers (send it again, or take it again).
 */
export function looksTruncated(bytes: Uint8Array, mediaType: AcceptedMediaType): boolean {
  if (mediaType === 'image/jpeg') {
    // The End Of Image marker; some cameras pad a few bytes after it.
    const tail = bytes.subarray(Math.max(0, bytes.length - 64));
    for (let i = tail.length - 2; i >= 0; i--) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return false;
    return true;
  }
  if (mediaType === 'image/png') return ascii(bytes, bytes.length - 8, bytes.length - 4) !== 'IEND';
  // WebP: the RIFF header says how long the file is.
  const declared = bytes.length >= 8 ? new DataView(bytes.buffer, bytes.byteOffset + 4, 4).getUint32(0, true) : 0;
  return declared + 8 > bytes.length;
}
