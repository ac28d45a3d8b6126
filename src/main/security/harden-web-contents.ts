import { app, session, type WebContents } from 'electron';

/**
 * Electron security checklist, applied to every web contents the app ever creates: no new
 * windows from the page, no navigation away from our bundle, no webviews, and every permission
 * request (camera, notifications, geolocation, ...) denied.
 */
export function hardenAllWebContents(isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/**
 * The bridge is registered once on the session rather than per window, so every DermDesk window
 * (main, pop-out viewer) gets the same logic-free preload and none can be created without it.
 */
export function registerBridgePreload(preloadPath: string): void {
  session.defaultSession.registerPreloadScript({ type: 'frame', filePath: preloadPath });
}

export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
