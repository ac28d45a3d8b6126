import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir';

/**
 * The layout's import rules (.dependency-cruiser.cjs) go red on a seeded violation of each, and
 * stay green on a tree where every allowed arrow is present. The fixture is a miniature of src/
 * (same folder names, so the real rule paths apply) in a temporary folder, cruised with the real
 * configuration through dependency-cruiser's API and, once, through the same CLI `npm test` runs.
 */

const require = createRequire(import.meta.url);
const CONFIG_FILE = resolve('.dependency-cruiser.cjs');
const config = require(CONFIG_FILE) as IConfiguration;

/** Every arrow the layout allows, so a rule that is too wide shows up as a violation here. */
const ALLOWED: Record<string, string> = {
  'tsconfig.base.json': readFileSync('tsconfig.base.json', 'utf8'),
  'resources/data.json': '{ "codes": [] }',
  'node_modules/electron/package.json': '{ "name": "electron", "main": "index.js" }',
  'node_modules/electron/index.js': 'module.exports = {};',
  'src/shared/a.ts': "import data from '../../resources/data.json';\nexport const a = data;\nexport type A = number;",
  'src/shared/b.ts': "import { a } from './a';\nexport const b = a;",
  'src/shared/a.test.ts':
    "import { k } from '../main/core/k';\nimport { t } from '../../tests/t';\nexport const x = [k, t];",
  'src/common/c.ts':
    "import { readFileSync } from 'node:fs';\nimport { b } from '../shared/b';\nexport const c = [b, readFileSync];",
  'src/main/core/k.ts':
    "import { c } from '../../common/c';\nimport type { A } from '../../shared/a';\nexport const k: A[] = [];\nexport const kc = c;\nexport interface K { k: number }",
  'src/main/core/k.test.ts':
    "import { h } from '../../hub/h';\nimport { s } from '../shell';\nexport const x = [h, s];",
  'src/main/core/db/d.ts': 'export const d = 1;',
  'src/main/core/case-state/cs.ts': "import { d } from '../db/d';\nexport const cs = d;",
  'src/main/core/hub-client/hc.ts': 'export const hc = 1;',
  'src/main/core/outbox/o.ts':
    "import { cs } from '../case-state/cs';\nimport { hc } from '../hub-client/hc';\nexport const o = [cs, hc];",
  'src/main/core/images/i.ts':
    "import { o } from '../outbox/o';\nimport { hc } from '../hub-client/hc';\nexport const i = [o, hc];",
  'src/main/core/sync/s.ts':
    "import { i } from '../images/i';\nimport { o } from '../outbox/o';\nexport const s = [i, o];",
  'src/main/shell.ts': "import { app } from 'electron';\nimport { k } from './core/k';\nexport const s = [app, k];",
  'src/main/embedded-hub.ts':
    "export async function start(): Promise<unknown> {\n  return (await import('../hub/h')).h;\n}",
  'src/hub/h.ts': "import { c } from '../common/c';\nimport { a } from '../shared/a';\nexport const h = [c, a];",
  'src/preload/p.ts':
    "import { ipcRenderer } from 'electron';\nimport { b } from '../shared/b';\nexport const p = [ipcRenderer, b];",
  'src/renderer/r.tsx': "import { b } from '../shared/b';\nexport const r = b;",
  'tests/t.ts':
    "import { h } from '../src/hub/h';\nimport { k } from '../src/main/core/k';\nimport { r } from '../src/renderer/r';\nexport const t = [h, k, r];",
  'bench/b.ts':
    "import { s } from '../src/main/shell';\nimport { p } from '../src/preload/p';\nexport const x = [s, p];",
};

/** One seeded violation per file: the file, its source, and the one rule it must break. */
const SEEDED: { file: string; source: string; rule: string; extra?: Record<string, string> }[] = [
  {
    file: 'src/shared/bad-import.ts',
    source: "import { k } from '../main/core/k';\nexport const x = k;",
    rule: 'shared-imports-only-shared',
  },
  {
    file: 'src/shared/bad-node.ts',
    source: "import { join } from 'node:path';\nexport const x = join;",
    rule: 'shared-runs-anywhere',
  },
  { file: 'src/common/bad-reexport.ts', source: "export { h } from '../hub/h';", rule: 'common-imports-only-shared' },
  {
    file: 'src/common/bad-core.ts',
    source: "import { k } from '../main/core/k';\nexport const x = k;",
    rule: 'common-imports-only-shared',
  },
  {
    file: 'src/renderer/bad-type.ts',
    source: "import type { K } from '../main/core/k';\nexport type X = K;",
    rule: 'renderer-imports-only-shared',
  },
  {
    file: 'src/renderer/bad-node.ts',
    source: "export const load = () => import('node:fs');",
    rule: 'renderer-is-a-web-page',
  },
  {
    file: 'src/preload/bad.ts',
    source: "import { k } from '../main/core/k';\nexport const x = k;",
    rule: 'preload-imports-only-shared',
  },
  // The original sin: the core loading the hub lazily, so a path-based lint rule never saw it.
  {
    file: 'src/main/core/bad-dynamic.ts',
    source: "export const load = () => import('../../hub/h');",
    rule: 'core-never-imports-the-shell-renderer-preload-or-hub',
  },
  {
    file: 'src/main/core/bad-require.ts',
    source: "const shell = require('../shell');\nexport const x = shell;",
    rule: 'core-never-imports-the-shell-renderer-preload-or-hub',
  },
  {
    file: 'src/main/core/bad-renderer.ts',
    source: "export { r } from '../../renderer/r';",
    rule: 'core-never-imports-the-shell-renderer-preload-or-hub',
  },
  {
    file: 'src/main/core/images/bad-sync.ts',
    source: "import { s } from '../sync/s';\nexport const x = s;",
    rule: 'core-images-below-sync',
  },
  {
    file: 'src/main/core/outbox/bad-images.ts',
    source: "import type { i } from '../images/i';\nexport type X = typeof i;",
    rule: 'core-outbox-below-images-and-sync',
  },
  {
    file: 'src/main/core/hub-client/bad-db.ts',
    source: "import { d } from '../db/d';\nexport const x = d;",
    rule: 'core-hub-client-is-a-leaf',
  },
  {
    file: 'src/main/core/case-state/bad-outbox.ts',
    source: "export const load = () => import('../outbox/o');",
    rule: 'core-case-state-imports-only-the-database',
  },
  {
    file: 'src/hub/cycle-a.ts',
    source: "import { b } from './cycle-b';\nexport const a = () => b;",
    rule: 'no-circular',
    // The other half of the loop (the cruiser reports a cycle once, from where it was entered).
    extra: { 'src/hub/cycle-b.ts': "import { a } from './cycle-a';\nexport const b = () => a;" },
  },
  {
    file: 'src/main/core/bad-electron.ts',
    source: "import { app } from 'electron';\nexport const x = app;",
    rule: 'electron-only-in-the-shell-and-preload',
  },
  {
    file: 'src/hub/bad-electron.ts',
    source: "import type { App } from 'electron';\nexport type X = App;",
    rule: 'electron-only-in-the-shell-and-preload',
  },
  {
    file: 'src/hub/bad-main.ts',
    source: "import { k } from '../main/core/k';\nexport const x = k;",
    rule: 'hub-never-imports-main',
  },
  {
    file: 'src/main/bad-renderer.ts',
    source: "import { r } from '../renderer/r';\nexport const x = r;",
    rule: 'shell-never-imports-the-renderer-or-preload',
  },
  {
    file: 'src/main/bad-hub.ts',
    source: "import { h } from '../hub/h';\nexport const x = h;",
    rule: 'shell-reaches-the-hub-only-to-embed-it',
  },
  {
    file: 'src/hub/bad-tests.ts',
    source: "import { t } from '../../tests/t';\nexport const x = t;",
    rule: 'production-code-never-imports-tests',
  },
  {
    file: 'src/hub/bad-missing.ts',
    source: "import { gone } from './gone';\nexport const x = gone;",
    rule: 'no-unresolvable-import',
  },
];

function writeTree(root: string, files: Record<string, string>): void {
  for (const [file, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), source);
  }
}

async function cruiseTree(root: string): Promise<ICruiseResult> {
  const { tsConfig: _tsConfig, reporterOptions: _reporter, ...options } = config.options ?? {};
  const result = await cruise(['src', 'tests', 'bench'], {
    ...options,
    baseDir: root,
    validate: true,
    ruleSet: { forbidden: config.forbidden ?? [] },
  });
  return result.output as ICruiseResult;
}

/** Rule names broken by each file that breaks any. */
function brokenRulesByFile(result: ICruiseResult): Map<string, string[]> {
  const byFile = new Map<string, string[]>();
  for (const v of result.summary.violations) {
    byFile.set(v.from, [...(byFile.get(v.from) ?? []), v.rule.name].sort());
  }
  return byFile;
}

describe('the layout import rules', () => {
  const temp = makeTempDir('dd-import-rules-');
  let clean: string;
  let seeded: string;
  beforeAll(() => {
    clean = join(temp.path, 'clean');
    seeded = join(temp.path, 'seeded');
    writeTree(clean, ALLOWED);
    writeTree(seeded, { ...ALLOWED, ...Object.assign({}, ...SEEDED.map((s) => ({ ...s.extra, [s.file]: s.source }))) });
  });
  afterAll(() => temp.remove());

  it('has a seeded violation for every rule in the configuration', () => {
    const ruleNames = (config.forbidden ?? []).map((r) => r.name).sort();
    expect(new Set(SEEDED.map((s) => s.rule))).toEqual(new Set(ruleNames));
  });

  it('allows every arrow of the layout (and anything from tests and bench)', async () => {
    const result = await cruiseTree(clean);
    expect(result.summary.violations).toEqual([]);
    // The fixture really was cruised: its lazy import of the hub is an arrow the cruiser saw.
    const embedded = result.modules.find((m) => m.source === 'src/main/embedded-hub.ts');
    expect(embedded?.dependencies.map((d) => [d.resolved, d.dynamic])).toEqual([['src/hub/h.ts', true]]);
  });

  it('goes red on each seeded violation, naming exactly the rule it breaks', async () => {
    const byFile = brokenRulesByFile(await cruiseTree(seeded));
    for (const s of SEEDED)
      expect({ file: s.file, rules: byFile.get(s.file) }).toEqual({ file: s.file, rules: [s.rule] });
    // Nothing in the allowed part of the tree is reported.
    expect([...byFile.keys()].sort()).toEqual(SEEDED.map((s) => s.file).sort());
  });

  it('fails the npm test gate (the depcruise CLI) on a seeded tree, passes it on the clean one', () => {
    const bin = resolve('node_modules/.bin/depcruise');
    const run = (cwd: string) =>
      spawnSync(bin, ['--config', CONFIG_FILE, 'src'], { cwd, encoding: 'utf8', timeout: 120_000 });
    const red = run(seeded);
    expect(red.status).not.toBe(0);
    expect(red.stdout).toContain('core-never-imports-the-shell-renderer-preload-or-hub');
    const green = run(clean);
    expect(green.stdout).toContain('no dependency violations found');
    expect(green.status).toBe(0);
  });
});
