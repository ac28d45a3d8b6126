import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '../..');

/**
 * Bundles a TypeScript entry into one plain ESM file under node_modules/.cache (beside
 * node_modules, so its package imports — sharp, better-sqlite3… — resolve as the app's do).
 * Used where tsx cannot help: a worker thread's entry, and a child process that must start in
 * milliseconds (the crash test's 100 rounds). Returns the bundle's path.
 */
export async function bundleNodeScript(entry: string, name: string): Promise<string> {
  const out = join(root, 'node_modules/.cache', `${name}-${process.pid}.mjs`);
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  return out;
}

let deriveWorker: Promise<string> | null = null;
let writeWorker: Promise<string> | null = null;

/**
 * The derivation worker as the app ships it (electron-vite builds the same entry into
 * out/main/derive-worker.js), bundled once per process for the test host and tests.
 */
export function deriveWorkerScript(): Promise<string> {
  deriveWorker ??= bundleNodeScript(join(root, 'src/main/core/images/derive-worker.ts'), 'derive-worker');
  return deriveWorker;
}

/** The image write worker as the app ships it (out/main/image-write-worker.js), bundled once per process. */
export function writeWorkerScript(): Promise<string> {
  writeWorker ??= bundleNodeScript(join(root, 'src/main/core/images/image-write-worker.ts'), 'image-write-worker');
  return writeWorker;
}
