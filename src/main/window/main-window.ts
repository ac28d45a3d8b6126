import { BrowserWindow, screen } from 'electron';
import { rememberWindowBounds, restoreWindowBounds } from './window-state';

/** Remembered bounds if still on screen, otherwise a comfortable size on the primary display. */
function mainBounds(): Electron.Rectangle & { maximized: boolean } {
  const saved = restoreWindowBounds('main');
  if (saved) return saved;
  const area = screen.getPrimaryDisplay().workArea;
  return {
    x: area.x,
    y: area.y,
    width: Math.min(1600, area.width),
    height: Math.min(1000, area.height),
    maximized: false,
  };
}

export function createMainWindow(url: string): BrowserWindow {
  const bounds = mainBounds();
  const win = new BrowserWindow({
    ...bounds,
    show: false,
    backgroundColor: '#16181b',
    title: 'DermDesk',
    // Electron security checklist: isolated, sandboxed, no Node in the page. Written out literally
    // here (not built by a helper) so electronegativity can verify them.
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
      spellcheck: true,
    },
  });
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  rememberWindowBounds(win, 'main');
  void win.loadURL(url);
  return win;
}
