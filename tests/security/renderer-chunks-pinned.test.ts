import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { resolveConfig } from 'electron-vite';
import { build, mergeConfig, type Rollup } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinPageScriptHashes } from '../../electron.vite.config';
import { makeTempDir } from '../support/temp-dir';

/**
 * The renderer as production builds it (electron.vite.config.ts through electron-vite's own config
 * resolution, in memory): every script the page can load is pinned by SHA-384 in the page's CSP,
 * and the pop-out viewer's cold start loads a small entry and the viewer's code, never the shell's
 * (issue 16). A stray script in the bundle fails the build.
 */

const root = resolve(import.meta.dirname, '../..');
const out = makeTempDir('dermdesk-renderer-chunks-');
const sha384 = (text: string): string => `sha384-${createHash('sha384').update(text).digest('base64')}`;

type Emitted = (Rollup.OutputChunk | Rollup.OutputAsset)[];

/** The renderer section as electron-vite resolves it for `electron-vite build`, built in memory. */
async function buildRenderer(): Promise<Emitted> {
  const resolved = await resolveConfig({ root, build: { outDir: out.path } }, 'build', 'production');
  const renderer = resolved.config?.renderer;
  if (!renderer) throw new Error('electron.vite.config.ts has no renderer section');
  const result = await build(mergeConfig(renderer, { logLevel: 'silent', build: { write: false } }));
  const outputs = Array.isArray(result) ? result : [result];
  return outputs.flatMap((o): Emitted => ('output' in o ? o.output : []));
}

let files: Emitted = [];
let chunks: Rollup.OutputChunk[] = [];
let html = '';

beforeAll(async () => {
  files = await buildRenderer();
  chunks = files.flatMap((f) => (f.type === 'chunk' ? [f] : []));
  const page = files.find((f) => f.type === 'asset' && f.fileName.endsWith('index.html'));
  html = page?.type === 'asset' ? String(page.source) : '';
}, 120_000);

afterAll(() => out.remove());

function scriptSrc(): string[] {
  const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1] ?? '';
  const directive = policy.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
  return directive.trim().split(/\s+/).slice(1);
}

function importMap(): { integrity: Record<string, string> } {
  const text = /<script type="importmap">(.*?)<\/script>/s.exec(html)?.[1];
  if (!text) throw new Error('no import map in index.html');
  return JSON.parse(text) as { integrity: Record<string, string> };
}

/** Every module a chunk loads with it: itself and its static imports, transitively. */
function staticClosure(start: Rollup.OutputChunk): Set<Rollup.OutputChunk> {
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const seen = new Set([start]);
  for (const c of seen) for (const name of c.imports) seen.add(byName.get(name) as Rollup.OutputChunk);
  return seen;
}

const modulesOf = (set: Iterable<Rollup.OutputChunk>): string[] =>
  [...set].flatMap((c) => Object.keys(c.modules)).map((id) => id.replace(/\\/g, '/'));

describe('renderer chunks and the CSP', () => {
  it('pins every emitted script: the entry by its tag and script-src, every other chunk in the import map', () => {
    const entry = chunks.find((c) => c.isEntry);
    expect(entry).toBeDefined();
    expect(chunks.length).toBeGreaterThan(3); // entry, viewer, shell, shared, pdf.js at least
    const allowed = scriptSrc();
    expect(allowed).not.toContain("'self'");
    const map = importMap();
    expect(html).toContain(`src="./${entry?.fileName}" integrity="${sha384(entry?.code ?? '')}"`);
    const mapText = /<script type="importmap">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
    expect(allowed).toContain(`'${sha384(mapText)}'`);
    for (const chunk of chunks) {
      expect(allowed, chunk.fileName).toContain(`'${sha384(chunk.code)}'`);
      if (!chunk.isEntry) expect(map.integrity[`./${chunk.fileName}`], chunk.fileName).toBe(sha384(chunk.code));
    }
    // Nothing pinned that is not shipped (a stale hash would be a hole only in name, but says the pin is stale).
    expect(Object.keys(map.integrity).sort()).toEqual(
      chunks
        .filter((c) => !c.isEntry)
        .map((c) => `./${c.fileName}`)
        .sort(),
    );
    expect(allowed).toHaveLength(chunks.length + 1);
  });

  it('the entry is small and starts the viewer before React: no React, Konva or zod in it', () => {
    const entry = chunks.find((c) => c.isEntry) as Rollup.OutputChunk;
    const mods = modulesOf(staticClosure(entry));
    expect(mods.some((m) => m.endsWith('features/viewer/viewer-cold-start.ts'))).toBe(true);
    for (const heavy of ['/react-dom/', '/konva/', '/react-konva/', '/zod/', '/pdfjs-dist/'])
      expect(
        mods.filter((m) => m.includes(heavy)),
        heavy,
      ).toEqual([]);
    expect(entry.code.length).toBeLessThan(40_000);
  });

  it('the pop-out viewer loads the entry and one chunk with all it needs, never the shell, the letters or pdf.js', () => {
    const entry = chunks.find((c) => c.isEntry) as Rollup.OutputChunk;
    const viewer = chunks.find((c) => Object.keys(c.modules).some((id) => id.endsWith('src/window-root.tsx')));
    const shell = chunks.find((c) => Object.keys(c.modules).some((id) => id.endsWith('src/shell-window.tsx')));
    expect(viewer, 'window-root chunk').toBeDefined();
    expect(shell, 'shell-window chunk').toBeDefined();
    expect(entry.dynamicImports).toEqual(expect.arrayContaining([viewer?.fileName, shell?.fileName]));
    // No second round of fetches once the viewer's chunk arrives: it imports only the entry.
    expect(viewer?.imports).toEqual([entry.fileName]);
    const viewerPath = modulesOf([entry, viewer as Rollup.OutputChunk]);
    for (const needed of [
      'features/viewer/viewer-window-page.tsx',
      'features/viewer/image-viewer.tsx',
      'features/lock/lock-gate.tsx',
    ])
      expect(
        viewerPath.some((m) => m.endsWith(needed)),
        needed,
      ).toBe(true);
    for (const needed of ['/react-dom/', '/konva/'])
      expect(
        viewerPath.some((m) => m.includes(needed)),
        needed,
      ).toBe(true);
    const shellOnly = ['src/app.tsx', '/features/worklist/', '/features/decision/', '/features/case/', '/pdfjs-dist/'];
    for (const part of shellOnly)
      expect(
        viewerPath.filter((m) => m.includes(part)),
        part,
      ).toEqual([]);
    // ...and the shell still has its own (the split is by window, nothing lost).
    const shellPath = modulesOf(staticClosure(shell as Rollup.OutputChunk));
    expect(shellPath.some((m) => m.includes('/features/worklist/'))).toBe(true);
    expect(shellPath.some((m) => m.endsWith('src/window-root.tsx'))).toBe(true);
  });

  it('refuses to build when the bundle holds a script no page loads (it would run unpinned)', () => {
    // The real plugin on a bundle of the real build's page and entry plus one chunk nothing imports.
    const entry = chunks.find((c) => c.isEntry) as Rollup.OutputChunk;
    const page = files.find((f) => f.type === 'asset' && f.fileName.endsWith('index.html')) as Rollup.OutputAsset;
    const source = html.replace(/<script type="importmap">.*?<\/script>\s*/s, '').replace(/ integrity="[^"]*"/, '');
    const bundle = {
      [page.fileName]: { ...page, source: source.replace(/script-src [^;]*/, "script-src 'self'") },
      [entry.fileName]: { ...entry, imports: [], dynamicImports: [] },
      'assets/stray.js': { ...entry, fileName: 'assets/stray.js', isEntry: false, code: 'globalThis.stray = 1;' },
    } as unknown as Rollup.OutputBundle;
    const hook = pinPageScriptHashes().generateBundle as { handler: (o: unknown, b: Rollup.OutputBundle) => void };
    expect(() => hook.handler({}, bundle)).toThrow('chunks no page loads: assets/stray.js');
    // Without the stray chunk the same bundle builds, with the entry pinned.
    delete (bundle as Record<string, unknown>)['assets/stray.js'];
    hook.handler({}, bundle);
    expect(String((bundle[page.fileName] as Rollup.OutputAsset).source)).toContain(`'${sha384(entry.code)}'`);
  });
});
