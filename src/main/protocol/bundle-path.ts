import { isAbsolute, join, normalize, sep } from 'node:path';

/**
 * Windows opens a device, not a file, for these names in ANY folder and with any extension
 * (`CON.jpg` is the console, `NUL`, `LPT1.txt`): reading one could hang or leak. No bundle file
 * is named like this, so such a path is refused on every platform (tests/hostile).
 */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]) *(\.|$)/i;
/** No file system accepts a longer file name; refusing it here avoids ENAMETOOLONG later. */
const MAX_SEGMENT = 255;

/**
 * Maps a request path under the app protocol to a file inside the renderer bundle, or null.
 * Refuses anything that could leave the folder: `..` segments (raw or percent-encoded, including
 * encoded backslashes), absolute paths, drive letters, NUL bytes, double encoding and malformed
 * escapes; Windows device names and over-long names too.
 */
export function resolveBundlePath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    return null;
  }
  // Bundle file names never contain these; their presence means an encoded or absolute trick.
  if (/[\0\\%:]/.test(decoded) || decoded.startsWith('//')) return null;
  const relative = decoded.slice(1);
  const parts = relative.split('/');
  if (relative === '' || isAbsolute(relative) || parts.some((part) => part === '..')) return null;
  if (parts.some((part) => WINDOWS_DEVICE.test(part) || part.length > MAX_SEGMENT)) return null;
  const base = normalize(root);
  const file = normalize(join(base, relative));
  return file.startsWith(base + sep) ? file : null;
}
