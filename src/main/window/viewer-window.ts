import { type BrowserWindow, screen } from 'electron';
import { createSecureWindow } from './secure-window';
import type { EventBus } from '../core/events/event-bus';
import { rememberWindowBounds, restoreWindowBounds } from './window-state';

const KEY = 'viewer';

/**
 * Where the pop-out viewer goes: its remembered bounds if they are still on a connected display,
 * otherwise the first non-primary display (the consultant's second monitor), otherwise beside
 * the main window on the primary one.
 */
function viewerBounds(): Electron.Rectangle & { maximized: boolean } {
  const saved = restoreWindowBounds(KEY);
  if (saved) return saved;
  const primary = screen.getPrimaryDisplay();
  const second = screen.getAllDisplays().find((d) => d.id !== primary.id);
  const area = (second ?? primary).workArea;
  return { x: area.x, y: area.y, width: area.width, height: area.height, maximized: !!second };
}

/**
 * Opens (or focuses) the pop-out viewer when the renderer asks for it through the core event
 * `viewer.case-followed` with `open: true`. The page is the same renderer at `#view=viewer`,
 * which follows the main window's case through the same event.
 */
export function installViewerWindow(events: EventBus, appUrl: string): () => void {
  let win: BrowserWindow | null = null;
  return events.subscribe((name, payload) => {
    if (name !== 'viewer.case-followed') return;
    const { caseId, open } = payload as { caseId: string | null; open: boolean };
    if (!open) return;
    if (win && !win.isDestroyed()) {
      win.focus();
      return;
    }
    const bounds = viewerBounds();
    win = createSecureWindow({
      x: bounds.x,
      y: bounds.y,
      width: bounds.width,
      height: bounds.height,
      backgroundColor: '#1a1a1a',
      title: 'DermDesk viewer',
      spellcheck: false,
    });
    const opened = win;
    if (bounds.maximized) opened.maximize();
    opened.once('ready-to-show', () => opened.show());
    rememberWindowBounds(opened, KEY);
    opened.on('closed', () => {
      if (win === opened) win = null;
    });
    const url = new URL(appUrl);
    url.hash = `view=viewer${caseId ? `&case=${caseId}` : ''}`;
    void opened.loadURL(url.toString());
  });
}
