import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir';

/**
 * Every window is made by src/main/window/secure-window.ts, whose web preferences are written out
 * literally so electronegativity (`npm run security`) can read them. This shows the check still
 * reads them there: the real file passes, and each seeded weakening of it is reported, with the
 * same binary and Electron version the gate uses. `nodeIntegration: true` on its own is not
 * reported, by electronegativity's design, while `sandbox: true` stands (a sandboxed renderer has
 * no Node whatever nodeIntegration says); with the sandbox off it is.
 */

const require = createRequire(import.meta.url);
const SOURCE = readFileSync('src/main/window/secure-window.ts', 'utf8');
const CHECKS = [
  'ContextIsolationJSCheck',
  'SandboxJSCheck',
  'NodeIntegrationJSCheck',
  'WebSecurityJSCheck',
  'InsecureContentJSCheck',
  'ExperimentalFeaturesJSCheck',
  'AuxclickJSCheck',
];

/** Seed name → [the literal line in the real file, its weakened replacement, the check that must report it]. */
const SEEDS: Record<string, [string, string, string]> = {
  'context-isolation-off': ['contextIsolation: true,', 'contextIsolation: false,', 'CONTEXT_ISOLATION_JS_CHECK'],
  'sandbox-off': ['sandbox: true,', 'sandbox: false,', 'SANDBOX_JS_CHECK'],
  'web-security-off': ['webSecurity: true,', 'webSecurity: false,', 'WEB_SECURITY_JS_CHECK'],
  'insecure-content-on': [
    'allowRunningInsecureContent: false,',
    'allowRunningInsecureContent: true,',
    'INSECURE_CONTENT_JS_CHECK',
  ],
  'experimental-features-on': [
    'experimentalFeatures: false,',
    'experimentalFeatures: true,',
    'EXPERIMENTAL_FEATURES_JS_CHECK',
  ],
  'auxclick-left-on': ["disableBlinkFeatures: 'Auxclick',", '', 'AUXCLICK_JS_CHECK'],
};

let findings: Map<string, string[]>;
const temp = makeTempDir('electronegativity-');
afterAll(() => temp.remove());

beforeAll(() => {
  const root = temp.path;
  const input = join(root, 'input');
  const place = (name: string, source: string): void => {
    mkdirSync(join(input, name), { recursive: true });
    writeFileSync(join(input, name, 'secure-window.ts'), source);
  };
  place('real', SOURCE);
  for (const [name, [line, replacement]] of Object.entries(SEEDS)) {
    expect(SOURCE, `secure-window.ts no longer says ${line}`).toContain(line);
    place(name, SOURCE.replace(line, replacement));
  }
  place('node-integration-on', SOURCE.replace('nodeIntegration: false,', 'nodeIntegration: true,'));
  place(
    'node-integration-on-unsandboxed',
    SOURCE.replace('nodeIntegration: false,', 'nodeIntegration: true,').replace('sandbox: true,', ''),
  );
  // The shell's own folder beside them, as the gate stages it (the windows that call the factory).
  cpSync('src/main/window', join(input, 'shell-window'), { recursive: true, filter: (f) => !f.endsWith('.test.ts') });
  const sarif = join(root, 'out.sarif');
  const electronVersion = (require('electron/package.json') as { version: string }).version;
  const run = spawnSync(
    resolve('node_modules/.bin/electronegativity'),
    ['-i', input, '-o', sarif, '-r', '-v', 'false', '-e', electronVersion, '-l', CHECKS.join(',')],
    { encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  const report = JSON.parse(readFileSync(sarif, 'utf8')) as {
    runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
  };
  findings = new Map();
  for (const result of report.runs[0]!.results) {
    const dir = result.locations[0]!.physicalLocation.artifactLocation.uri.split(/[\\/]/)[0]!;
    findings.set(dir, [...(findings.get(dir) ?? []), result.ruleId]);
  }
}, 120_000);

describe('electronegativity reads the one window factory', () => {
  it('finds nothing in the real factory or in the shell windows that call it', () => {
    expect(findings.get('real')).toBeUndefined();
    expect(findings.get('shell-window')).toBeUndefined();
  });

  it.each(Object.entries(SEEDS))('reports a seeded weakening: %s', (name, [, , check]) => {
    expect(findings.get(name)).toContain(check);
  });

  it('still says no Node in the page, its workers and its frames (electronegativity lets the sandbox stand for these)', () => {
    for (const line of [
      'nodeIntegration: false,',
      'nodeIntegrationInWorker: false,',
      'nodeIntegrationInSubFrames: false,',
    ]) {
      expect(SOURCE).toContain(line);
    }
    expect(findings.get('node-integration-on')).toBeUndefined();
  });

  it('reports nodeIntegration: true once the sandbox no longer overrides it', () => {
    expect(findings.get('node-integration-on-unsandboxed')).toContain('NODE_INTEGRATION_JS_CHECK');
  });
});
