import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every file under a hub's filesystem object store (`<dataDir>/objects`: photographs under
 * <aa>/<sha256>, half-written uploads under tmp/), relative to it: what an upload left behind.
 */
export function objectFiles(dataDir: string): string[] {
  const root = join(dataDir, 'objects');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}
