import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { ElectronStoreSettings } from './adapters/electron-store-settings';
import { createCore, type Core } from './core/create-core';
import { KeytarSecretStore } from './core/secrets/keytar-secret-store';
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

app.on('second-instance', () => {
  const [win] = BrowserWindow.getAllWindows();
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

void app.whenReady().then(() => {
  denyAllPermissions();
  registerBridgePreload(join(__dirname, '../preload/index.cjs'));
  const dataDir = join(app.getPath('userData'), 'data');
  core = createCore({
    dataDir,
    secrets: new KeytarSecretStore(),
    settings: new ElectronStoreSettings(),
    appVersion: app.getVersion(),
  });
  handleAppProtocol(join(__dirname, '../renderer'));
  handleImageProtocol(dataDir);
  registerIpcTransport(core.handlers, core.events, trustedOrigins);
  createMainWindow(devServerUrl ?? `${APP_ORIGIN}/index.html`);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('will-quit', () => {
  core?.close();
  core = null;
});
