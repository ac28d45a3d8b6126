import { app, BrowserWindow, dialog } from 'electron';
import { join } from 'node:path';
import pino from 'pino';
import { ElectronStoreSettings } from './adapters/electron-store-settings';
import { createPinoLogger } from './adapters/pino-logger';
import { createCore, type Core } from './core/create-core';
import { clockStartingAt, type Clock } from '../shared/domain/clock';
import { ensureCacheKey } from './core/secrets/cache-key';
import { KeytarSecretStore } from './core/secrets/keytar-secret-store';
import { SECRET_SERVICE } from './core/secrets/secret-store';
import { startEmbeddedHub, type EmbeddedHub } from './embedded-hub';
import { registerIpcTransport } from './ipc/ipc-transport';
import {
  APP_ORIGIN,
  handleAppProtocol,
  handleImageProtocol,
  registerSchemesAsPrivileged,
} from './protocol/app-protocol';
import { isTrustedUrl } from './security/navigation-policy';
import { denyAllPermissions, hardenAllWebContents, registerBridgePreload } from './security/harden-web-contents';
import { createMainWindow } from './window/main-window';
import { installViewerWindow } from './window/viewer-window';

/**
 * The Electron shell: lifecycle, windows and transport only. Everything a consultant's data
 * touches lives in ./core, which this file builds once and hands to the IPC transport.
 */
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const trustedOrigins = devServerUrl ? [APP_ORIGIN, new URL(devServerUrl).origin] : [APP_ORIGIN];
const isAppUrl = (url: string): boolean => isTrustedUrl(url, trustedOrigins);

if (process.env['DERMDESK_DATA_DIR']) app.setPath('userData', process.env['DERMDESK_DATA_DIR']);
if (!app.requestSingleInstanceLock()) app.quit();

registerSchemesAsPrivileged();
hardenAllWebContents(isAppUrl);

let core: Core | null = null;
let embeddedHub: EmbeddedHub | null = null;
let drained = false;

app.on('second-instance', () => {
  const [win] = BrowserWindow.getAllWindows();
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

void app.whenReady().then(async () => {
  denyAllPermissions();
  registerBridgePreload(join(__dirname, '../preload/index.cjs'));
  const dataDir = join(app.getPath('userData'), 'data');
  // DERMDESK_KEYCHAIN_SERVICE lets the e2e specs use their own keychain entries, never the user's.
  const secrets = new KeytarSecretStore(process.env['DERMDESK_KEYCHAIN_SERVICE'] ?? SECRET_SERVICE);
  let databaseKey: string;
  try {
    databaseKey = (await ensureCacheKey(secrets)).key;
  } catch (error) {
    dialog.showErrorBox(
      'DermDesk cannot start',
      `${error instanceof Error ? error.message : String(error)}\n\nDermDesk keeps its cache key in the system keychain and will not store patient data without it.`,
    );
    app.quit();
    return;
  }
  const clock = testClock();
  // JSON lines in <userData>/logs/main.log, patient data redacted (adapters/pino-logger.ts).
  const logger = createPinoLogger(
    pino.destination({ dest: join(app.getPath('userData'), 'logs', 'main.log'), mkdir: true }),
  );
  core = createCore({
    logger,
    dataDir,
    databaseKey,
    ...clock,
    secrets,
    settings: new ElectronStoreSettings(),
    appVersion: app.getVersion(),
    // Letters are deliberate exports for the GP: where the consultant finds files, not the cache.
    exportDir: join(app.getPath('documents'), 'DermDesk letters'),
    deriveWorker: { script: join(__dirname, 'derive-worker.js') },
    writeWorker: { script: join(__dirname, 'image-write-worker.js') },
  });
  // No hub configured (settings or DERMDESK_HUB_URL): start the embedded hub with demo data in
  // the background, so the window opens at once and a new user sees real cases after sign-in.
  const hubSettings = new ElectronStoreSettings();
  if (process.env['DERMDESK_HUB_URL']) hubSettings.update({ hubUrl: process.env['DERMDESK_HUB_URL'] });
  if (!hubSettings.get().hubUrl) {
    void startEmbeddedHub(
      join(app.getPath('userData'), 'demo-hub'),
      (line) => logger.info({ part: 'demo-hub' }, line),
      clock.now,
    ).then(
      (hub) => {
        embeddedHub = hub;
        core?.sync.useEmbeddedHub(hub.options);
      },
      (error: unknown) => logger.error({ part: 'demo-hub', err: error }, 'the embedded hub did not start'),
    );
  }
  handleAppProtocol(join(__dirname, '../renderer'));
  handleImageProtocol(core);
  registerIpcTransport(core.handlers, core.events, trustedOrigins, logger);
  createMainWindow(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  installViewerWindow(core.events, devServerUrl ?? `${APP_ORIGIN}/index.html`);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Give the outbox a bounded last chance to send signed decisions before the app goes away;
// whatever is not sent stays in SQLite for the next start.
app.on('before-quit', (event) => {
  if (drained || !core) return;
  event.preventDefault();
  drained = true;
  void core.sync.outbox
    .drain(3000)
    .catch(() => undefined)
    .then(() => embeddedHub?.close())
    .finally(() => app.quit());
});

app.on('will-quit', () => {
  core?.close();
  core = null;
});

/**
 * An unpackaged app (development, the e2e specs) may be told what date it is: DERMDESK_CLOCK_START
 * sets the instant the app starts at, then the clock ticks on. A packaged app always runs on the
 * system clock: a consultant's due dates must never come from an environment variable.
 */
function testClock(): { now?: Clock } {
  const start = process.env['DERMDESK_CLOCK_START'];
  return start && !app.isPackaged ? { now: clockStartingAt(start) } : {};
}
