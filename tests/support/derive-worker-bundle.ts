import { join, resolve } from 'node:path';
import { build } from 'esbuild';
const root = resolve(import.meta.dirname, '../..');
let bundled: Promise<string> | null = null;

/**
 * The derivation worker as the app ships it: one bundled ESM file (electron-vite builds the same
 * entry into out/main/derive-worker.js). Node tools run TypeScript through tsx, which a worker
 * thread's entry cannot use, so the test host and tests bundle it once per process with esbuild.
 */
export function deriveWorkerScript(): Promise<string> {
  bundled ??= (async () => {
    // Beside node_modules, so its imports (sharp, fflate) resolve as the app's do.
    const out = join(root, 'node_modules/.cache', `derive-worker-${process.pid}.mjs`);
    await build({
      entryPoints: [join(root, 'src/main/core/images/derive-worker.ts')],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
    return out;
  })();
  return bundled;
}
