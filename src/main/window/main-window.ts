import { BrowserWindow, screen } from 'electron';
import { loadWindowBounds, saveWindowBounds } from './window-state';

/** Keeps saved bounds only if they are still on a connected display (a monitor may have been unplugged). */
function visibleBounds(key: string): Electron.Rectangle & { maximized: boolean } {
  const saved = loadWindowBounds(key);
  if (saved) {
    const onScreen = screen.getAllDisplays().some((d) => {
      const a = d.workArea;
      return (
        saved.x < a.x + a.width &&
        saved.x + saved.width > a.x &&
        saved.y < a.y + a.height &&
        saved.y + saved.height > a.y
      );
    });
    if (onScreen) return saved;
  }
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
  const bounds = visibleBounds('main');
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
  win.on('close', () => saveWindowBounds('main', { ...win.getNormalBounds(), maximized: win.isMaximized() }));
  void win.loadURL(url);
  return win;
}
