import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/**
 * Production pins script-src to the SHA-384 of each of our scripts, so no other script can run in
 * the page: not an injected inline handler, not a script element added at run time, not a file
 * that found its way into the bundle folder. The small entry script carries SRI on its tag; every
 * other chunk (the viewer's or the shell's code, the chunks they share, pdf.js for the letter
 * preview), loaded with import() or imported by such a chunk, carries its hash through an inline
 * import map's "integrity" table (Chromium 127+), whose own hash is pinned too. Workers are
 * governed separately by worker-src (the tile decoder is a blob worker; pdf.js's is an asset).
 */
export function pinPageScriptHashes(): Plugin {
  const sha384 = (text: string): string => `sha384-${createHash('sha384').update(text).digest('base64')}`;
  return {
    name: 'dermdesk-csp-script-hashes',
    apply: 'build',
    enforce: 'post',
    // Last of every plugin's generateBundle: Vite rewrites chunks' dynamic-import code in its own
    // generateBundle, and the hashes must be of the bytes written.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        const html = Object.values(bundle).find((f) => f.type === 'asset' && f.fileName.endsWith('index.html'));
        const chunks = Object.values(bundle).flatMap((f) => (f.type === 'chunk' ? [f] : []));
        const entries = chunks.filter((c) => c.isEntry);
        const entry = entries[0];
        if (!html || html.type !== 'asset' || entries.length !== 1 || !entry) {
          throw new Error('dermdesk-csp-script-hashes expects one index.html and exactly one entry chunk');
        }
        // Every chunk the page can load: the entry's static and dynamic imports, transitively. A
        // chunk outside that set would be unpinned code in the bundle folder: refuse to build.
        const byName = new Map(chunks.map((c) => [c.fileName, c]));
        const reachable = new Set([entry.fileName]);
        for (const name of reachable)
          for (const next of [...(byName.get(name)?.imports ?? []), ...(byName.get(name)?.dynamicImports ?? [])])
            reachable.add(next);
        const stray = chunks.filter((c) => !reachable.has(c.fileName)).map((c) => c.fileName);
        if (stray.length > 0) throw new Error(`dermdesk-csp-script-hashes: chunks no page loads: ${stray.join(', ')}`);
        const entryHash = sha384(entry.code);
        const lazy = chunks.filter((c) => !c.isEntry);
        const integrity = Object.fromEntries(lazy.map((c) => [`./${c.fileName}`, sha384(c.code)]));
        const importMap = JSON.stringify({ imports: {}, integrity });
        const source = String(html.source);
        const tag = `<script type="module" crossorigin src="./${entry.fileName}"`;
        if (!source.includes(tag) || !source.includes("script-src 'self'")) {
          throw new Error('dermdesk-csp-script-hashes: entry script tag or script-src not found in index.html');
        }
        const pinned = [entryHash, sha384(importMap), ...Object.values(integrity)].map((h) => `'${h}'`).join(' ');
        html.source = source
          .replace(tag, `<script type="importmap">${importMap}</script>\n    ${tag} integrity="${entryHash}"`)
          .replace("script-src 'self'", `script-src ${pinned}`);
      },
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
    plugins: [react(), devContentSecurityPolicy(), pinPageScriptHashes()],
    build: {
      // electron-vite leaves the renderer unminified by default; the one page chunk is then
      // 2.7 MB to parse and compile before the first image can be asked for (issue 16, cold start).
      minify: true,
      // No modulepreload links injected at run time: every script the page runs is pinned above.
      modulePreload: false,
      // One stylesheet linked from index.html, not a stylesheet per chunk injected by script.
      cssCodeSplit: false,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/renderer/index.html'),
        },
      },
    },
  },
});
