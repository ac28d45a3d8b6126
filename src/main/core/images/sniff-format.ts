/**
 * The real format of an untrusted file, from its first bytes. The hub's declared media type and
 * the file name are never trusted: a renamed SVG or HTML page must not reach the decoder.
 */
export type SniffedFormat =
  { ok: true; format: 'jpeg' | 'png' | 'webp' } | { ok: false; reason: 'empty' | 'heic' | 'svg' | 'html' | 'unknown' };

export function sniffFormat(head: Uint8Array): SniffedFormat {
  if (head.length === 0) return { ok: false, reason: 'empty' };
  const at = (i: number): number => head[i] ?? -1;
  const ascii = (from: number, to: number): string => String.fromCharCode(...head.subarray(from, to));
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return { ok: true, format: 'jpeg' };
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => at(i) === b)) return { ok: true, format: 'png' };
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { ok: true, format: 'webp' };
  if (ascii(4, 8) === 'ftyp' && /^(heic|heix|hevc|hevx|heim|heis|mif1|msf1|avif)$/.test(ascii(8, 12)))
    return { ok: false, reason: 'heic' };
  const text = new TextDecoder('utf-8', { fatal: false })
    .decode(head.subarray(0, 512))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (text.startsWith('<svg') || (text.startsWith('<?xml') && text.includes('<svg')))
    return { ok: false, reason: 'svg' };
  if (text.startsWith('<!doctype html') || text.startsWith('<html') || text.startsWith('<'))
    return { ok: false, reason: 'html' };
  return { ok: false, reason: 'unknown' };
}

/** What the consultant reads when an image cannot be shown. */
export function sniffMessage(reason: Exclude<SniffedFormat, { ok: true }>['reason']): string {
  switch (reason) {
    case 'empty':
      return 'This image file is empty (0 bytes). Ask the referrer to send it again.';
    case 'heic':
      return 'This image is HEIC/HEIF, which DermDesk cannot display. Ask the referrer to send it as JPEG.';
    case 'svg':
      return 'This file is an SVG drawing, not a photograph, and was refused. Only JPEG, PNG and WebP are accepted.';
    case 'html':
      return 'This file is a web page or text, not an image, and was refused. Only JPEG, PNG and WebP are accepted.';
    case 'unknown':
      return 'This file is not a JPEG, PNG or WebP image and was refused.';
  }
}
