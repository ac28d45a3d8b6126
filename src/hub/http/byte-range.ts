/**
 * HTTP Range for one resource (RFC 9110 §14): only a single `bytes=` range is honoured.
 * - null: no usable Range (absent, another unit, syntactically invalid, or several ranges):
 *   the server sends the whole representation with 200, as the RFC allows.
 * - 'unsatisfiable': a well-formed range outside the resource: 416.
 */
export type RangeResult = null | 'unsatisfiable' | { start: number; end: number };

export function parseByteRange(header: string | undefined, size: number): RangeResult {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, first = '', last = ''] = m;
  if (first === '' && last === '') return null;
  if (first === '') {
    const suffix = Number(last);
    if (!Number.isSafeInteger(suffix) || suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start)) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}
