import { type BrowserWindow, screen } from 'electron';
import { createSecureWindow } from './secure-window';
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
  const win = createSecureWindow({
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    backgroundColor: '#16181b',
    title: 'DermDesk',
    spellcheck: true,
  });
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  rememberWindowBounds(win, 'main');
  void win.loadURL(url);
  return win;
}
