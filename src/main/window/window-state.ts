import type { BrowserWindow, Rectangle } from 'electron';
import { screen } from 'electron';
import Store from 'electron-store';
import { z } from 'zod';

/** Where each window was, so the layout across two monitors comes back after a restart. */
const boundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(400),
  height: z.number().int().min(300),
  maximized: z.boolean(),
});
export type WindowBounds = z.infer<typeof boundsSchema>;

const store = new Store<Record<string, unknown>>({ name: 'window-state', clearInvalidConfig: true });

/**
 * The window's remembered bounds, only if they still overlap a connected display: a monitor may
 * have been unplugged since, and a window placed on it would open out of sight.
 */
export function restoreWindowBounds(key: string): WindowBounds | null {
  const parsed = boundsSchema.safeParse(store.get(key));
  if (!parsed.success) return null;
  const saved = parsed.data;
  const onScreen = screen.getAllDisplays().some(({ workArea: a }: { workArea: Rectangle }) => {
    return (
      saved.x < a.x + a.width && saved.x + saved.width > a.x && saved.y < a.y + a.height && saved.y + saved.height > a.y
    );
  });
  return onScreen ? saved : null;
}

/** Remembers where the window was when it closes (normal bounds, plus whether it was maximised). */
export function rememberWindowBounds(win: BrowserWindow, key: string): void {
  win.on('close', () => store.set(key, { ...win.getNormalBounds(), maximized: win.isMaximized() }));
}
