import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/**
 * Production pins script-src to the SHA-384 of our one script (with SRI on its tag), so no other
 * script can run in the page: not an injected inline handler, not a script element added at run
 * time, not a file that found its way into the bundle folder. The renderer is therefore built as
 * ONE chunk (no code splitting); workers are governed separately by worker-src.
 */
function pinEntryScriptHash(): Plugin {
  return {
    name: 'dermdesk-csp-script-hash',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = Object.values(bundle).find((f) => f.type === 'asset' && f.fileName.endsWith('index.html'));
      const entries = Object.values(bundle).filter((f) => f.type === 'chunk' && f.isEntry);
      const pageChunks = Object.values(bundle).filter((f) => f.type === 'chunk' && !f.fileName.includes('worker'));
      if (
        !html ||
        html.type !== 'asset' ||
        entries.length !== 1 ||
        entries[0]?.type !== 'chunk' ||
        pageChunks.length !== 1
      ) {
        throw new Error('dermdesk-csp-script-hash expects one index.html and exactly one page chunk');
      }
      const entry = entries[0];
      const hash = `sha384-${createHash('sha384').update(entry.code).digest('base64')}`;
      const source = String(html.source);
      const tag = `src="./${entry.fileName}"`;
      if (!source.includes(tag) || !source.includes("script-src 'self'")) {
        throw new Error('dermdesk-csp-script-hash: entry script tag or script-src not found in index.html');
      }
      html.source = source
        .replace(tag, `${tag} integrity="${hash}"`)
        .replace("script-src 'self'", `script-src '${hash}'`);
    },
  };
}

/**
 * index.html carries the strict production Content-Security-Policy. Vite's dev server needs
 * inline scripts and styles and a websocket, so `npm run dev` alone relaxes those.
 */
function devContentSecurityPolicy(): Plugin {
  let serving = false;
  return {
    name: 'dermdesk-dev-csp',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    transformIndexHtml: (html) =>
      serving
        ? html
            .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            .replace("connect-src 'self'", "connect-src 'self' ws:")
        : html,
  };
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          // Its own entry: the image derivation worker thread (src/main/core/images/derivers.ts).
          'derive-worker': resolve(__dirname, 'src/main/core/images/derive-worker.ts'),
          // And the image write worker thread (src/main/core/images/part-writers.ts).
          'image-write-worker': resolve(__dirname, 'src/main/core/images/image-write-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react(), devContentSecurityPolicy(), pinEntryScriptHash()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
        },
        output: { codeSplitting: false },
      },
    },
  },
});
