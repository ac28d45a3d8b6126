import { BrowserWindow } from 'electron';

export interface SecureWindowOptions {
  x: number;
  y: number;
  width: number;
  height: number;
  title: string;
  backgroundColor: string;
  /** The main window checks the consultant's spelling; the viewer has nothing to spell. */
  spellcheck: boolean;
}

/**
 * The one place a DermDesk window is made, so every window gets the same hardening. The Electron
 * security checklist's web preferences (isolated, sandboxed, no Node in the page, its workers or
 * its frames) are written out literally in this one `new BrowserWindow` on purpose:
 * electronegativity reads them from the source (`npm run security`) and cannot follow a constant
 * imported from elsewhere; tests/architecture/electronegativity.test.ts shows it flags a change.
 */
export function createSecureWindow(options: SecureWindowOptions): BrowserWindow {
  const { spellcheck, ...frame } = options;
  return new BrowserWindow({
    ...frame,
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck,
    },
  });
}
