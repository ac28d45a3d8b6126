import { isAbsolute, join, normalize, sep } from 'node:path';

/**
 * Maps a request path under the app protocol to a file inside the renderer bundle, or null.
 * Refuses anything that could leave the folder: `..` segments (raw or percent-encoded, including
 * encoded backslashes), absolute paths, drive letters, NUL bytes, double encoding and malformed
 * escapes.
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
  if (relative === '' || isAbsolute(relative) || relative.split('/').some((part) => part === '..')) return null;
  const base = normalize(root);
  const file = normalize(join(base, relative));
  return file.startsWith(base + sep) ? file : null;
}
