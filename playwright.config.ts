import { defineConfig } from '@playwright/test';
import type { DeskTarget } from './tests/e2e/fixtures/desk-app';

/**
 * One set of specs, two targets. `host` drives the built renderer on the Node test host in
 * Debian's Chromium (what CI runs); `electron` launches the built app with `_electron.launch`
 * wherever the Electron binary is installed.
 */
const chromiumArgs = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig<{ target: DeskTarget }>({
  testDir: './tests/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: process.env['PLAYWRIGHT_JSON_OUTPUT_NAME'] ? [['list'], ['json']] : [['list']],
  use: {
    trace: 'retain-on-failure',
    viewport: { width: 1440, height: 900 },
  },
  projects: [
    {
      name: 'host',
      use: {
        target: 'host',
        browserName: 'chromium',
        launchOptions: { executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: chromiumArgs },
      },
    },
    { name: 'electron', use: { target: 'electron' } },
  ],
});
